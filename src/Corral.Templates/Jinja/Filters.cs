namespace Corral.Templates.Jinja;

/// <summary>Jinja2's built-in filters (the subset chat templates use), with Hugging Face's tojson.</summary>
internal static class Filters
{
    private static readonly HashSet<string> Names =
    [
        "abs", "attr", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
        "format", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
        "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort", "string", "sum", "title",
        "tojson", "trim", "unique", "upper", "wordcount",
    ];

    public static bool Exists(string name) => Names.Contains(name);

    public static object? Apply(string name, object? v, CallArgs args, RenderRoot root)
    {
        switch (name)
        {
            case "default" or "d":
                {
                    var boolean = PyOps.Truthy(args.Get(1, "boolean", false));
                    return v is Undefined || (boolean && !PyOps.Truthy(v)) ? args.Get(0, "default_value", "") : v;
                }

            case "length" or "count": return PyOps.Length(v);
            case "string": return PyFormat.Str(v);
            case "safe": return PyFormat.Str(v);
            case "trim":
                return args.Get(0, "chars") is string chars ? PyFormat.Str(v).Trim(chars.ToCharArray()) : PyFormat.Str(v).Trim();
            case "upper": return PyFormat.Str(v).ToUpperInvariant();
            case "lower": return PyFormat.Str(v).ToLowerInvariant();
            case "capitalize":
                {
                    var s = PyFormat.Str(v);
                    return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
                }

            case "title": return Title(PyFormat.Str(v));
            case "replace":
                {
                    var count = args.Get(2, "count") is long n ? n : -1;
                    return Methods.Replace(PyFormat.Str(v), PyFormat.Str(args.Get(0, "old")), PyFormat.Str(args.Get(1, "new")), count);
                }

            case "tojson": return ToJson(v, args);
            case "join": return Join(v, args);
            case "first": return PyOps.Iterate(v) is { Count: > 0 } f ? f[0] : Undefined.Named("first");
            case "last": return PyOps.Iterate(v) is { Count: > 0 } l ? l[^1] : Undefined.Named("last");
            case "list": return PyOps.Iterate(v).ToList();
            case "items":
                return v switch
                {
                    Undefined => new List<object?>(),
                    JinjaDict dict => dict.Select(p => (object?)new object?[] { p.Key is NoneKey ? null : p.Key, p.Value }).ToList(),
                    _ => throw new JinjaException($"can only get item pairs from a mapping, not {PyOps.TypeName(v)}"),
                };
            case "dictsort": return DictSort(v, args);
            case "selectattr" or "rejectattr": return SelectAttr(v, args, root, name == "selectattr");
            case "select" or "reject": return Select(v, args, root, name == "select");
            case "map": return Map(v, args, root);
            case "int": return ToInt(v, args);
            case "float": return ToFloat(v, args);
            case "abs": return v is long l2 ? Math.Abs(l2) : v is bool b ? (b ? 1L : 0L) : (object)Math.Abs(PyOps.ToDouble(v));
            case "round": return Round(v, args);
            case "indent": return Indent(PyFormat.Str(v), args);
            case "unique": return Unique(v, args);
            case "sort": return Sort(v, args);
            case "reverse":
                return v is string rs ? new string(rs.Reverse().ToArray()) : PyOps.Iterate(v).Reverse().ToList();
            case "batch": return Batch(v, args);
            case "escape" or "e": return Escape(PyFormat.Str(v));
            case "attr": return PyOps.GetAttr(v, PyFormat.Str(args.Get(0, "name")));
            case "format": return PyFormat.Percent(PyFormat.Str(v), args.Positional.Count == 1 ? args.Positional[0] : args.Positional.ToArray());
            case "wordcount": return (long)Methods.Split(PyFormat.Str(v), null, -1).Count;
            case "sum":
                {
                    object? total = args.Get(1, "start", 0L);
                    foreach (var item in Project(v, args.Get(0, "attribute")))
                    {
                        total = PyOps.Binary("+", total, item);
                    }

                    return total;
                }

            case "min" or "max":
                {
                    var items = Project(v, args.Get(1, "attribute")).ToList();
                    if (items.Count == 0)
                    {
                        return Undefined.Named(name);
                    }

                    var caseSensitive = PyOps.Truthy(args.Get(0, "case_sensitive", false));
                    var best = items[0];
                    foreach (var item in items.Skip(1))
                    {
                        var c = PyOps.Compare(SortKey(item, caseSensitive), SortKey(best, caseSensitive));
                        if (name == "min" ? c < 0 : c > 0)
                        {
                            best = item;
                        }
                    }

                    return best;
                }

            default:
                throw new JinjaException($"no filter named '{name}'");
        }
    }

    private static string ToJson(object? v, CallArgs args)
    {
        var indentArg = args.Get(0, "indent");
        int? indent = indentArg is long n ? (int)n : null;
        var separators = args.Get(2, "separators");
        string itemSep = indent is null ? ", " : ",", keySep = ": ";
        if (separators is IList<object?> { Count: 2 } seps)
        {
            itemSep = PyFormat.Str(seps[0]);
            keySep = PyFormat.Str(seps[1]);
        }

        return JsonDump.Dumps(v, indent, itemSep, keySep, PyOps.Truthy(args.Get(3, "sort_keys", false)));
    }

    private static string Join(object? v, CallArgs args)
    {
        var separator = PyFormat.Str(args.Get(0, "d", ""));
        var attribute = args.Get(1, "attribute");
        var sb = new StringBuilder();
        var first = true;
        foreach (var item in Project(v, attribute))
        {
            if (!first)
            {
                sb.Append(separator);
            }

            first = false;
            PyFormat.AppendStr(sb, item);
            RenderRoot.EnsureLength(sb.Length);
        }

        return sb.ToString();
    }

    private static IEnumerable<object?> Project(object? v, object? attribute) =>
        attribute is null or Undefined ? PyOps.Iterate(v) : PyOps.Iterate(v).Select(item => GetPath(item, attribute));

    /// <summary>Jinja's attribute getter: "a.b.0" walks items (then attributes), integer parts index sequences.</summary>
    public static object? GetPath(object? item, object? attribute)
    {
        if (attribute is long index)
        {
            return PyOps.GetItem(item, index);
        }

        foreach (var part in PyFormat.Str(attribute).Split('.'))
        {
            object key = long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : part;
            var value = PyOps.GetItem(item, key);
            item = value is Undefined && key is string s && item is not Undefined ? PyOps.GetAttr(item, s) : value;
        }

        return item;
    }

    private static List<object?> SelectAttr(object? v, CallArgs args, RenderRoot root, bool select)
    {
        var attribute = args.Positional.Count > 0 ? args.Positional[0] : throw new JinjaException("missing attribute for selectattr");
        var test = args.Positional.Count > 1 ? PyFormat.Str(args.Positional[1]) : null;
        var testArgs = new CallArgs();
        testArgs.Positional.AddRange(args.Positional.Skip(2));
        var result = new List<object?>();
        foreach (var item in PyOps.Iterate(v))
        {
            var value = GetPath(item, attribute);
            var ok = test is null ? PyOps.Truthy(value) : Tests.Apply(test, value, testArgs, root);
            if (ok == select)
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static List<object?> Select(object? v, CallArgs args, RenderRoot root, bool select)
    {
        var test = args.Positional.Count > 0 ? PyFormat.Str(args.Positional[0]) : null;
        var testArgs = new CallArgs();
        testArgs.Positional.AddRange(args.Positional.Skip(1));
        var result = new List<object?>();
        foreach (var item in PyOps.Iterate(v))
        {
            var ok = test is null ? PyOps.Truthy(item) : Tests.Apply(test, item, testArgs, root);
            if (ok == select)
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static List<object?> Map(object? v, CallArgs args, RenderRoot root)
    {
        if (args.Named.TryGetValue("attribute", out var attribute))
        {
            var fallback = args.Named.TryGetValue("default", out var d) ? d : Undefined.Instance;
            return PyOps.Iterate(v).Select(item => GetPath(item, attribute) is Undefined && fallback is not Undefined ? fallback : GetPath(item, attribute)).ToList();
        }

        var filter = args.Positional.Count > 0 ? PyFormat.Str(args.Positional[0]) : throw new JinjaException("map requires a filter or attribute");
        var filterArgs = new CallArgs();
        filterArgs.Positional.AddRange(args.Positional.Skip(1));
        foreach (var (k, value) in args.Named)
        {
            filterArgs.Named[k] = value;
        }

        return PyOps.Iterate(v).Select(item => Apply(filter, item, filterArgs, root)).ToList();
    }

    private static object? ToInt(object? v, CallArgs args)
    {
        var fallback = args.Get(0, "default", 0L);
        switch (v)
        {
            case long or bool: return PyOps.ToLong(v);
            case double d: return double.IsFinite(d) ? (long)Math.Truncate(d) : fallback;
            case string s:
                s = s.Trim().Replace("_", "");
                if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return l;
                }

                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f) ? (long)Math.Truncate(f) : fallback;
            default: return fallback;
        }
    }

    private static object? ToFloat(object? v, CallArgs args)
    {
        var fallback = args.Get(0, "default", 0.0);
        return v switch
        {
            long or bool or double => PyOps.ToDouble(v),
            string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) => f,
            _ => fallback,
        };
    }

    private static double Round(object? v, CallArgs args)
    {
        var precision = (int)PyOps.ToLong(args.Get(0, "precision", 0L));
        var method = PyFormat.Str(args.Get(1, "method", "common"));
        var d = PyOps.ToDouble(v);
        var scale = Math.Pow(10, precision);
        return method switch
        {
            "ceil" => Math.Ceiling(d * scale) / scale,
            "floor" => Math.Floor(d * scale) / scale,
            _ => Math.Round(d, precision, MidpointRounding.AwayFromZero),
        };
    }

    private static string Indent(string s, CallArgs args)
    {
        var width = args.Get(0, "width", 4L);
        var indention = width is string w ? w : new string(' ', (int)PyOps.ToLong(width));
        var first = PyOps.Truthy(args.Get(1, "first", false));
        var blank = PyOps.Truthy(args.Get(2, "blank", false));
        var lines = SplitLines(s + "\n");
        string result;
        if (blank)
        {
            result = string.Join("\n" + indention, lines);
        }
        else
        {
            var sb = new StringBuilder(lines[0]);
            for (var i = 1; i < lines.Count; i++)
            {
                sb.Append('\n');
                if (lines[i].Length > 0)
                {
                    sb.Append(indention);
                }

                sb.Append(lines[i]);
            }

            result = sb.ToString();
        }

        return first ? indention + result : result;
    }

    private static List<string> SplitLines(string s)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] is '\n' or '\r')
            {
                lines.Add(s[start..i]);
                if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < s.Length)
        {
            lines.Add(s[start..]);
        }

        return lines;
    }

    private static object? SortKey(object? v, bool caseSensitive) => !caseSensitive && v is string s ? s.ToLowerInvariant() : v;

    private static List<object?> Unique(object? v, CallArgs args)
    {
        var caseSensitive = PyOps.Truthy(args.Get(0, "case_sensitive", false));
        var attribute = args.Get(1, "attribute");
        var seen = new List<object?>();
        var result = new List<object?>();
        foreach (var item in PyOps.Iterate(v))
        {
            var key = SortKey(attribute is null ? item : GetPath(item, attribute), caseSensitive);
            if (!seen.Any(s => PyOps.PyEquals(s, key)))
            {
                seen.Add(key);
                result.Add(item);
            }
        }

        return result;
    }

    private static List<object?> Sort(object? v, CallArgs args)
    {
        var reverse = PyOps.Truthy(args.Get(0, "reverse", false));
        var caseSensitive = PyOps.Truthy(args.Get(1, "case_sensitive", false));
        var attribute = args.Get(2, "attribute");
        var items = PyOps.Iterate(v).ToList();
        var keyed = items.Select(i => (Key: SortKey(attribute is null ? i : GetPath(i, attribute), caseSensitive), Item: i)).ToList();
        var ordered = keyed.OrderBy(p => p.Key, Comparer<object?>.Create(PyOps.Compare)).Select(p => p.Item).ToList();
        if (reverse)
        {
            ordered.Reverse();
        }

        return ordered;
    }

    private static List<object?> DictSort(object? v, CallArgs args)
    {
        var caseSensitive = PyOps.Truthy(args.Get(0, "case_sensitive", false));
        var byValue = PyFormat.Str(args.Get(1, "by", "key")) == "value";
        var reverse = PyOps.Truthy(args.Get(2, "reverse", false));
        if (v is not JinjaDict dict)
        {
            throw new JinjaException("dictsort requires a mapping");
        }

        var ordered = dict.OrderBy(p => SortKey(byValue ? p.Value : p.Key, caseSensitive), Comparer<object?>.Create(PyOps.Compare))
            .Select(p => (object?)new object?[] { p.Key, p.Value }).ToList();
        if (reverse)
        {
            ordered.Reverse();
        }

        return ordered;
    }

    private static List<object?> Batch(object? v, CallArgs args)
    {
        var size = (int)PyOps.ToLong(args.Get(0, "linecount"));
        var fill = args.Has(1, "fill_with") ? args.Get(1, "fill_with") : Undefined.Instance;
        var result = new List<object?>();
        List<object?>? current = null;
        foreach (var item in PyOps.Iterate(v))
        {
            current ??= new List<object?>(size);
            current.Add(item);
            if (current.Count == size)
            {
                result.Add(current);
                current = null;
            }
        }

        if (current is not null)
        {
            while (fill is not Undefined && current.Count < size)
            {
                current.Add(fill);
            }

            result.Add(current);
        }

        return result;
    }

    /// <summary>Jinja's title filter: a word starts after '-', whitespace or an opening bracket.</summary>
    private static string Title(string s)
    {
        var chars = s.ToCharArray();
        var wordStart = true;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsWhiteSpace(c) || c is '-' or '(' or '{' or '[' or '<')
            {
                wordStart = true;
                continue;
            }

            chars[i] = wordStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
            wordStart = false;
        }

        return new string(chars);
    }

    private static string Escape(string s) =>
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&#34;").Replace("'", "&#39;");
}
