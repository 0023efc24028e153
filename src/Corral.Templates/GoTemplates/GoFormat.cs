namespace Corral.Templates.GoTemplates;

/// <summary>Go's fmt for template values: %v printing, Sprint, Sprintln and Sprintf.</summary>
internal static class GoFormat
{
    /// <summary>
    /// Appends the %v form. At top level (a template action) nil prints "&lt;no value&gt;" as text/template does;
    /// inside fmt (print, printf, nested elements) it is "&lt;nil&gt;".
    /// </summary>
    public static void AppendValue(StringBuilder sb, TemplateValue value, bool topLevel)
    {
        switch (value.Kind)
        {
            case TemplateKind.Nil:
                sb.Append(topLevel ? "<no value>" : "<nil>");
                break;
            case TemplateKind.Bool:
                sb.Append(value.AsBool ? "true" : "false");
                break;
            case TemplateKind.Int:
                sb.Append(value.AsInt);
                break;
            case TemplateKind.Float:
                sb.Append(GoFloat.FormatV(value.AsFloat));
                break;
            case TemplateKind.String:
                sb.Append(value.AsString);
                break;
            case TemplateKind.List:
                if (value.AsList is ITemplateStringer listStringer)
                {
                    sb.Append(listStringer.ToGoString());
                    break;
                }
                var list = value.AsList;
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(' ');
                    }
                    AppendValue(sb, list[i], topLevel: false);
                }
                sb.Append(']');
                break;
            case TemplateKind.Map:
                if (value.AsMap is ITemplateStringer mapStringer)
                {
                    sb.Append(mapStringer.ToGoString());
                    break;
                }
                var map = value.AsMap;
                sb.Append("map[");
                var first = true;
                foreach (var key in map.SortedKeys)
                {
                    if (!first)
                    {
                        sb.Append(' ');
                    }
                    first = false;
                    map.TryGetValue(key, out var item);
                    sb.Append(key).Append(':');
                    AppendValue(sb, item, topLevel: false);
                }
                sb.Append(']');
                break;
            case TemplateKind.Object:
                value.AsObject.Format(sb);
                break;
        }
    }

    /// <summary>fmt.Sprint: spaces between operands when neither side is a string.</summary>
    public static string Sprint(ReadOnlySpan<TemplateValue> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0 && args[i].Kind != TemplateKind.String && args[i - 1].Kind != TemplateKind.String)
            {
                sb.Append(' ');
            }
            AppendValue(sb, args[i], topLevel: false);
        }
        return sb.ToString();
    }

    /// <summary>fmt.Sprintln: always spaces between operands, newline at the end.</summary>
    public static string Sprintln(ReadOnlySpan<TemplateValue> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }
            AppendValue(sb, args[i], topLevel: false);
        }
        return sb.Append('\n').ToString();
    }

    public static string Sprintf(string format, ReadOnlySpan<TemplateValue> args)
    {
        var sb = new StringBuilder(format.Length + 16);
        var argIndex = 0;
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                i++;
                continue;
            }
            i++;
            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            var spec = new FormatSpec();
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '-': spec.Minus = true; spec.Zero = false; continue;
                    case '+': spec.Plus = true; continue;
                    case '#': spec.Sharp = true; continue;
                    case ' ': spec.Space = true; continue;
                    case '0': spec.Zero = !spec.Minus; continue;
                }
                break;
            }
            spec.Width = ParseNumber(format, ref i);
            if (i < format.Length && format[i] == '.')
            {
                i++;
                spec.Precision = ParseNumber(format, ref i) ?? 0;
            }
            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            var verb = format[i++];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }
            if (argIndex >= args.Length)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            FormatOne(sb, verb, spec, args[argIndex++]);
        }
        if (argIndex < args.Length)
        {
            sb.Append("%!(EXTRA ");
            for (var k = argIndex; k < args.Length; k++)
            {
                if (k > argIndex)
                {
                    sb.Append(", ");
                }
                sb.Append(args[k].GoTypeName).Append('=');
                AppendValue(sb, args[k], topLevel: false);
            }
            sb.Append(')');
        }
        return sb.ToString();
    }

    private struct FormatSpec
    {
        public bool Minus, Plus, Sharp, Space, Zero;
        public int? Width, Precision;
    }

    private static int? ParseNumber(string format, ref int i)
    {
        var start = i;
        var n = 0;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            n = n * 10 + (format[i] - '0');
            i++;
        }
        return i > start ? n : null;
    }

    private static void FormatOne(StringBuilder sb, char verb, FormatSpec spec, TemplateValue arg)
    {
        string? body = (verb, arg.Kind) switch
        {
            ('v', _) => arg.Kind == TemplateKind.Float && spec.Precision is { } vp ? FormatG(arg.AsFloat, vp, spec) : WithSign(Plain(arg), spec, arg),
            ('s', TemplateKind.String) => Truncate(arg.AsString, spec.Precision),
            ('s', TemplateKind.List or TemplateKind.Map or TemplateKind.Object) => Plain(arg),
            ('q', TemplateKind.String) => Quote(arg.AsString),
            ('q', TemplateKind.Int) => "'" + char.ConvertFromUtf32((int)arg.AsInt) + "'",
            ('d', TemplateKind.Int) => WithSign(arg.AsInt.ToString(CultureInfo.InvariantCulture), spec, arg),
            ('t', TemplateKind.Bool) => arg.AsBool ? "true" : "false",
            ('c', TemplateKind.Int) => char.ConvertFromUtf32((int)arg.AsInt),
            ('x', TemplateKind.Int) => Hex(arg.AsInt, upper: false, spec),
            ('X', TemplateKind.Int) => Hex(arg.AsInt, upper: true, spec),
            ('x', TemplateKind.String) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(arg.AsString)),
            ('X', TemplateKind.String) => Convert.ToHexString(Encoding.UTF8.GetBytes(arg.AsString)),
            ('f' or 'F', TemplateKind.Float) => WithSign(arg.AsFloat.ToString("F" + (spec.Precision ?? 6), CultureInfo.InvariantCulture), spec, arg),
            ('e' or 'E', TemplateKind.Float) => WithSign(FormatE(arg.AsFloat, spec.Precision ?? 6, verb == 'E'), spec, arg),
            ('g' or 'G', TemplateKind.Float) => spec.Precision is { } gp ? FormatG(arg.AsFloat, gp, spec) : WithSign(GoFloat.FormatV(arg.AsFloat), spec, arg),
            ('T', _) => arg.GoTypeName,
            _ => null,
        };
        if (body is null)
        {
            sb.Append("%!").Append(verb).Append('(');
            if (arg.IsNil)
            {
                sb.Append("<nil>");
            }
            else
            {
                sb.Append(arg.GoTypeName).Append('=');
                AppendValue(sb, arg, topLevel: false);
            }
            sb.Append(')');
            return;
        }
        Pad(sb, body, spec, numeric: arg.Kind is TemplateKind.Int or TemplateKind.Float && verb is not ('s' or 'q' or 'c' or 'T'));
    }

    private static string Plain(TemplateValue arg)
    {
        var sb = new StringBuilder();
        AppendValue(sb, arg, topLevel: false);
        return sb.ToString();
    }

    private static string WithSign(string body, FormatSpec spec, TemplateValue arg)
    {
        if (arg.Kind is not (TemplateKind.Int or TemplateKind.Float) || body.StartsWith('-'))
        {
            return body;
        }
        return spec.Plus ? "+" + body : spec.Space ? " " + body : body;
    }

    private static string Truncate(string text, int? precision)
    {
        if (precision is not { } p)
        {
            return text;
        }
        var runes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (runes == p)
            {
                return text[..i];
            }
            if (char.IsHighSurrogate(text[i]))
            {
                i++;
            }
            runes++;
        }
        return text;
    }

    private static string Hex(long value, bool upper, FormatSpec spec)
    {
        var digits = Math.Abs(value).ToString(upper ? "X" : "x", CultureInfo.InvariantCulture);
        if (value == long.MinValue)
        {
            digits = "8000000000000000";
        }
        if (spec.Sharp)
        {
            digits = (upper ? "0X" : "0x") + digits;
        }
        return value < 0 ? "-" + digits : digits;
    }

    private static string FormatE(double value, int precision, bool upper)
    {
        var text = value.ToString((upper ? "E" : "e") + precision, CultureInfo.InvariantCulture);
        // .NET writes at least three exponent digits (e+006); Go writes at least two (e+06).
        var e = text.IndexOfAny(['e', 'E']);
        var exponent = int.Parse(text.AsSpan(e + 2), CultureInfo.InvariantCulture);
        return text[..(e + 2)] + exponent.ToString("00", CultureInfo.InvariantCulture);
    }

    private static string FormatG(double value, int precision, FormatSpec spec)
    {
        if (precision == 0)
        {
            precision = 1;
        }
        var e = FormatE(value, precision - 1, upper: false);
        var mark = e.IndexOf('e');
        var exponent = int.Parse(e.AsSpan(mark + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string body;
        if (exponent < -4 || exponent >= precision)
        {
            var mantissa = e[..mark];
            if (mantissa.Contains('.'))
            {
                mantissa = mantissa.TrimEnd('0').TrimEnd('.');
            }
            body = mantissa + e[mark..];
        }
        else
        {
            body = value.ToString("F" + Math.Max(0, precision - 1 - exponent), CultureInfo.InvariantCulture);
            if (body.Contains('.'))
            {
                body = body.TrimEnd('0').TrimEnd('.');
            }
        }
        return spec.Plus && value >= 0 ? "+" + body : body;
    }

    private static void Pad(StringBuilder sb, string body, FormatSpec spec, bool numeric)
    {
        var width = spec.Width ?? 0;
        var length = body.Length;
        if (length >= width)
        {
            sb.Append(body);
            return;
        }
        if (spec.Minus)
        {
            sb.Append(body).Append(' ', width - length);
        }
        else if (spec.Zero && numeric)
        {
            var signLength = body.Length > 0 && body[0] is '-' or '+' or ' ' ? 1 : 0;
            sb.Append(body, 0, signLength).Append('0', width - length).Append(body, signLength, body.Length - signLength);
        }
        else if (spec.Zero)
        {
            sb.Append('0', width - length).Append(body);
        }
        else
        {
            sb.Append(' ', width - length).Append(body);
        }
    }

    /// <summary>strconv.Quote: Go string literal with escapes for non-printable characters.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }
            if (c < 0x20 || c == 0x7f)
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                sb.Append("\\ufffd");
            }
            else if (char.IsHighSurrogate(c))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (c >= 0x80 && (char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.Append('"').ToString();
    }
}
