namespace Corral.Templates.GoTemplates;

/// <summary>Go literal syntax: numbers, interpreted strings and character constants.</summary>
internal static class GoLiterals
{
    /// <summary>An integer constant when the text is an integer (as Go's ideal constants), otherwise a float64.</summary>
    public static TemplateValue? ParseNumber(string text)
    {
        var s = text.Replace("_", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        var body = s.TrimStart('+', '-');
        if (body.Length == 0)
        {
            return null;
        }
        int radix = 10;
        var digits = body;
        if (body.Length > 1 && body[0] == '0' && char.IsAsciiLetter(body[1]))
        {
            radix = char.ToLowerInvariant(body[1]) switch { 'x' => 16, 'o' => 8, 'b' => 2, _ => 0 };
            digits = body[2..];
        }
        else if (body.Length > 1 && body[0] == '0' && body.All(char.IsAsciiDigit))
        {
            radix = 8;
            digits = body[1..];
        }
        if (radix != 0 && digits.Length > 0 && TryParseInteger(digits, radix, out var magnitude))
        {
            return TemplateValue.FromInt(negative ? -magnitude : magnitude);
        }
        if (radix == 10 && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !body.Contains('x'))
        {
            return TemplateValue.FromFloat(d);
        }
        return null;
    }

    private static bool TryParseInteger(string digits, int radix, out long value)
    {
        value = 0;
        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= radix)
            {
                return false;
            }
            try
            {
                value = checked(value * radix + digit);
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        return true;
    }

    public static string? UnquoteString(string quoted)
    {
        if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"')
        {
            return null;
        }
        var sb = new StringBuilder(quoted.Length);
        var i = 1;
        while (i < quoted.Length - 1)
        {
            if (!TryReadChar(quoted, ref i, '"', sb))
            {
                return null;
            }
        }
        return sb.ToString();
    }

    public static int? UnquoteChar(string quoted)
    {
        if (quoted.Length < 3 || quoted[0] != '\'' || quoted[^1] != '\'')
        {
            return null;
        }
        var sb = new StringBuilder();
        var i = 1;
        if (!TryReadChar(quoted, ref i, '\'', sb) || i != quoted.Length - 1)
        {
            return null;
        }
        var text = sb.ToString();
        return text.Length == 0 ? null : char.ConvertToUtf32(text, 0);
    }

    private static bool TryReadChar(string s, ref int i, char quote, StringBuilder sb)
    {
        var c = s[i++];
        if (c != '\\')
        {
            sb.Append(c);
            return true;
        }
        if (i >= s.Length - 1)
        {
            return false;
        }
        var e = s[i++];
        switch (e)
        {
            case 'a': sb.Append('\a'); return true;
            case 'b': sb.Append('\b'); return true;
            case 'f': sb.Append('\f'); return true;
            case 'n': sb.Append('\n'); return true;
            case 'r': sb.Append('\r'); return true;
            case 't': sb.Append('\t'); return true;
            case 'v': sb.Append('\v'); return true;
            case '\\': sb.Append('\\'); return true;
            case '\'' or '"':
                if (e != quote)
                {
                    return false;
                }
                sb.Append(e);
                return true;
            case 'x':
                return ReadHex(s, ref i, 2, sb, asByte: true);
            case 'u':
                return ReadHex(s, ref i, 4, sb, asByte: false);
            case 'U':
                return ReadHex(s, ref i, 8, sb, asByte: false);
            case >= '0' and <= '7':
                if (i + 1 >= s.Length)
                {
                    return false;
                }
                var octal = s.Substring(i - 1, 3);
                try
                {
                    var v = Convert.ToInt32(octal, 8);
                    if (v > 255)
                    {
                        return false;
                    }
                    sb.Append((char)v);
                }
                catch (FormatException)
                {
                    return false;
                }
                i += 2;
                return true;
            default:
                return false;
        }
    }

    private static bool ReadHex(string s, ref int i, int length, StringBuilder sb, bool asByte)
    {
        if (i + length > s.Length - 1 ||
            !int.TryParse(s.AsSpan(i, length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        i += length;
        if (asByte)
        {
            // A \x byte escape: kept as the Latin-1 code point (.NET strings hold no raw bytes).
            sb.Append((char)value);
            return true;
        }
        // Eight hex digits can read as a negative int (\UD5555555): IsValid also rejects those, which would
        // otherwise reach ConvertFromUtf32 and throw out of the parser.
        if (!Rune.IsValid(value))
        {
            return false;
        }
        sb.Append(char.ConvertFromUtf32(value));
        return true;
    }
}
