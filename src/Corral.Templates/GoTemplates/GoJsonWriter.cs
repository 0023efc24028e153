namespace Corral.Templates.GoTemplates;

/// <summary>
/// Writes JSON byte-for-byte as Go's encoding/json.Marshal does: HTML-safe escaping of &lt; &gt; &amp;,
/// U+2028/U+2029 escaped, map keys sorted, float64 in Go's shortest form.
/// </summary>
public sealed class GoJsonWriter
{
    private readonly StringBuilder _output;

    public GoJsonWriter(StringBuilder output) => _output = output;

    public StringBuilder Output => _output;

    public static string Serialize(TemplateValue value)
    {
        var sb = new StringBuilder();
        new GoJsonWriter(sb).WriteValue(value);
        return sb.ToString();
    }

    public void WriteRaw(string text) => _output.Append(text);

    public void WriteValue(TemplateValue value)
    {
        switch (value.Kind)
        {
            case TemplateKind.Nil:
                _output.Append("null");
                break;
            case TemplateKind.Bool:
                _output.Append(value.AsBool ? "true" : "false");
                break;
            case TemplateKind.Int:
                _output.Append(value.AsInt.ToString(CultureInfo.InvariantCulture));
                break;
            case TemplateKind.Float:
                // Go's json.Marshal fails on NaN/Inf; Ollama's json func then prints "", which we mirror by writing nothing.
                if (double.IsFinite(value.AsFloat))
                {
                    _output.Append(GoFloat.FormatJson(value.AsFloat));
                }
                break;
            case TemplateKind.String:
                WriteString(value.AsString);
                break;
            case TemplateKind.List:
                var list = value.AsList;
                _output.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        _output.Append(',');
                    }
                    WriteValue(list[i]);
                }
                _output.Append(']');
                break;
            case TemplateKind.Map:
                var map = value.AsMap;
                _output.Append('{');
                var first = true;
                foreach (var key in map.SortedKeys)
                {
                    if (!first)
                    {
                        _output.Append(',');
                    }
                    first = false;
                    WriteString(key);
                    _output.Append(':');
                    map.TryGetValue(key, out var item);
                    WriteValue(item);
                }
                _output.Append('}');
                break;
            case TemplateKind.Object:
                value.AsObject.WriteJson(this);
                break;
        }
    }

    /// <summary>Writes <c>"name":</c> with a leading comma unless it is the first member.</summary>
    public void WritePropertyName(string name, ref bool first)
    {
        if (!first)
        {
            _output.Append(',');
        }
        first = false;
        WriteString(name);
        _output.Append(':');
    }

    public void WriteString(string text)
    {
        _output.Append('"');
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u2028' => "\\u2028",
                '\u2029' => "\\u2029",
                _ when c < 0x20 => "\\u00" + HexLower(c >> 4) + HexLower(c & 0xF),
                _ when char.IsSurrogate(c) && !IsValidSurrogatePair(text, i) => "\ufffd",
                _ => null,
            };
            if (escape is null)
            {
                if (char.IsHighSurrogate(c))
                {
                    i++;
                }
                continue;
            }
            _output.Append(text, start, i - start).Append(escape);
            start = i + 1;
        }
        _output.Append(text, start, text.Length - start).Append('"');
    }

    private static bool IsValidSurrogatePair(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);

    private static string HexLower(int digit) => "0123456789abcdef"[digit].ToString();
}
