namespace Corral.Templates.Jinja;

/// <summary>Python's str() and repr() of template values, which is what <c>{{ value }}</c> prints.</summary>
internal static class PyFormat
{
    public static string Str(object? v)
    {
        if (v is string s)
        {
            return s;
        }

        var sb = new StringBuilder();
        AppendStr(sb, v);
        return sb.ToString();
    }

    public static void AppendStr(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case string s: sb.Append(s); break;
            case Undefined: break;
            default: AppendRepr(sb, v); break;
        }
    }

    public static void AppendRepr(StringBuilder sb, object? v)
    {
        StackGuard.Ensure();
        switch (v)
        {
            case null or NoneKey: sb.Append("None"); break;
            case Undefined: break;
            case bool b: sb.Append(b ? "True" : "False"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(Float(d)); break;
            case string s: AppendStringRepr(sb, s); break;
            case object?[] tuple:
                sb.Append('(');
                for (var i = 0; i < tuple.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendRepr(sb, tuple[i]);
                }

                sb.Append(tuple.Length == 1 ? ",)" : ")");
                break;
            case IList<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendRepr(sb, list[i]);
                }

                sb.Append(']');
                break;
            case JinjaDict dict:
                sb.Append('{');
                var first = true;
                foreach (var (k, value) in dict)
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    AppendRepr(sb, k);
                    sb.Append(": ");
                    AppendRepr(sb, value);
                }

                sb.Append('}');
                break;
            case JinjaNamespace: sb.Append("<Namespace>"); break;
            default: sb.Append(v.ToString()); break;
        }
    }

    private static void AppendStringRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append(quote);
    }

    /// <summary>Python's float repr: shortest round-trip digits, exponent form below 1e-4 and from 1e16.</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0.0" : "0.0";
        }

        // "R" gives the shortest round-trip digits (as Python does); re-laid out in Python's notation.
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exp) = Decompose(shortest);
        var sb = new StringBuilder();
        if (d < 0)
        {
            sb.Append('-');
        }

        // decpt: value = 0.DIGITS * 10^decpt
        var decpt = exp + 1;
        if (decpt <= -4 || decpt > 16)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var e = decpt - 1;
            sb.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (decpt <= 0)
        {
            sb.Append("0.").Append('0', -decpt).Append(digits);
        }
        else if (decpt >= digits.Length)
        {
            sb.Append(digits).Append('0', decpt - digits.Length).Append(".0");
        }
        else
        {
            sb.Append(digits, 0, decpt).Append('.').Append(digits, decpt, digits.Length - decpt);
        }

        return sb.ToString();
    }

    /// <summary>Splits "1.25E-05" / "123.5" into significant digits ("125") and the exponent of the first digit (-5).</summary>
    private static (string Digits, int Exp) Decompose(string s)
    {
        var exp = 0;
        var ePos = s.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(s[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..ePos];
        }

        var dot = s.IndexOf('.');
        var intPart = dot < 0 ? s : s[..dot];
        var frac = dot < 0 ? "" : s[(dot + 1)..];
        var all = intPart + frac;
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0')
        {
            lead++;
        }

        var digits = all[lead..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        return (digits, exp + intPart.Length - 1 - lead);
    }

    /// <summary>printf-style "%s" formatting ("..." % value and the format filter).</summary>
    public static string Percent(string format, object? args)
    {
        var values = args as IList<object?> ?? [args];
        if (args is List<object?>)
        {
            values = [args];
        }

        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%' || i + 1 >= format.Length)
            {
                sb.Append(c);
                continue;
            }

            var spec = format[++i];
            if (spec == '%')
            {
                sb.Append('%');
                continue;
            }

            var value = next < values.Count ? values[next++] : throw new JinjaException("not enough arguments for format string");
            switch (spec)
            {
                case 's': AppendStr(sb, value); break;
                case 'r': AppendRepr(sb, value); break;
                case 'd' or 'i': sb.Append(PyOps.ToLong(value is double dv ? Math.Truncate(dv) : value).ToString(CultureInfo.InvariantCulture)); break;
                case 'f': sb.Append(PyOps.ToDouble(value).ToString("F6", CultureInfo.InvariantCulture)); break;
                default: throw new JinjaException($"unsupported format character '{spec}'");
            }
        }

        return sb.ToString();
    }
}
