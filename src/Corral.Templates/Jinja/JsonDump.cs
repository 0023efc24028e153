namespace Corral.Templates.Jinja;

/// <summary>
/// The <c>tojson</c> filter as Hugging Face defines it: Python's json.dumps with ensure_ascii=False and insertion
/// key order (not Jinja2's HTML-safe, key-sorted default); indent and separators as json.dumps takes them.
/// </summary>
internal static class JsonDump
{
    public static string Dumps(object? value, int? indent, string itemSeparator, string keySeparator, bool sortKeys)
    {
        var sb = new StringBuilder();
        Write(sb, value, indent, itemSeparator, keySeparator, sortKeys, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, int? indent, string itemSep, string keySep, bool sortKeys, int level)
    {
        StackGuard.Ensure();
        switch (value)
        {
            case null or NoneKey: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyFormat.Float(d));
                break;
            case string s: WriteString(sb, s); break;
            case IList<object?> list:
                if (list.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }

                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(itemSep);
                    }

                    NewLine(sb, indent, level + 1);
                    Write(sb, list[i], indent, itemSep, keySep, sortKeys, level + 1);
                }

                NewLine(sb, indent, level);
                sb.Append(']');
                break;
            case JinjaDict dict:
                if (dict.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }

                sb.Append('{');
                IEnumerable<KeyValuePair<object, object?>> pairs = sortKeys
                    ? dict.OrderBy(p => KeyString(p.Key), StringComparer.Ordinal)
                    : dict;
                var first = true;
                foreach (var (k, v) in pairs)
                {
                    if (!first)
                    {
                        sb.Append(itemSep);
                    }

                    first = false;
                    NewLine(sb, indent, level + 1);
                    WriteString(sb, KeyString(k));
                    sb.Append(keySep);
                    Write(sb, v, indent, itemSep, keySep, sortKeys, level + 1);
                }

                NewLine(sb, indent, level);
                sb.Append('}');
                break;
            case Undefined u:
                throw new JinjaException($"Object of type Undefined is not JSON serializable ({u.Name})");
            default:
                throw new JinjaException($"Object of type {PyOps.TypeName(value)} is not JSON serializable");
        }
    }

    /// <summary>json.dumps turns non-string keys into their JSON spelling ("1", "true", "null").</summary>
    private static string KeyString(object key) => key switch
    {
        string s => s,
        NoneKey => "null",
        bool b => b ? "true" : "false",
        double d => PyFormat.Float(d),
        _ => PyFormat.Str(key),
    };

    private static void NewLine(StringBuilder sb, int? indent, int level)
    {
        if (indent is { } n)
        {
            sb.Append('\n').Append(' ', n * level);
        }
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
