namespace Corral.Templates.GoTemplates;

/// <summary>Go's strconv float formatting ('g', 'e', 'f' with shortest digits), built on .NET's shortest round-trip digits.</summary>
internal static class GoFloat
{
    /// <summary>Shortest decimal digits and the decimal point position (value = 0.DIGITS × 10^pointPosition).</summary>
    private static (bool Negative, string Digits, int PointPosition) Decompose(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var intPart = dot >= 0 ? text[..dot] : text;
        var fracPart = dot >= 0 ? text[(dot + 1)..] : "";
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        var pointPosition = intPart.Length - leadingZeros + exponent;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return (negative, "0", 1);
        }
        return (negative, digits, pointPosition);
    }

    /// <summary>fmt's %v for float64 (strconv 'g', shortest digits).</summary>
    public static string FormatV(double value)
    {
        if (!double.IsFinite(value))
        {
            return FormatSpecial(value);
        }
        var (negative, digits, point) = Decompose(value);
        var exp = point - 1;
        // strconv's shortest %g decides with precision 6: 1e+06, but 123456.
        var body = exp < -4 || exp >= 6 ? FormatE(digits, point) : FormatF(digits, point);
        return negative ? "-" + body : body;
    }

    /// <summary>encoding/json's float64 encoding.</summary>
    public static string FormatJson(double value)
    {
        var abs = Math.Abs(value);
        var (negative, digits, point) = Decompose(value);
        string body;
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            body = FormatE(digits, point);
            // encoding/json trims the exponent's leading zero: e-07 becomes e-7.
            var n = body.Length;
            if (n >= 4 && body[n - 4] == 'e' && body[n - 3] == '-' && body[n - 2] == '0')
            {
                body = body[..(n - 2)] + body[n - 1];
            }
        }
        else
        {
            body = FormatF(digits, point);
        }
        return negative && abs != 0 ? "-" + body : body;
    }

    private static string FormatSpecial(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";

    private static string FormatE(string digits, int point)
    {
        var sb = new StringBuilder();
        sb.Append(digits[0]);
        if (digits.Length > 1)
        {
            sb.Append('.').Append(digits, 1, digits.Length - 1);
        }
        var exp = point - 1;
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        var absExp = Math.Abs(exp);
        if (absExp < 10)
        {
            sb.Append('0');
        }
        sb.Append(absExp.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string FormatF(string digits, int point)
    {
        if (point <= 0)
        {
            return "0." + new string('0', -point) + digits;
        }
        if (point >= digits.Length)
        {
            return digits + new string('0', point - digits.Length);
        }
        return digits[..point] + "." + digits[point..];
    }
}
