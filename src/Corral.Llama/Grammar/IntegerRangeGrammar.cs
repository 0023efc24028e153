using System.Globalization;
using System.Text;

namespace Corral.Llama.Grammar;

/// <summary>
/// GBNF for the decimal integers within optional inclusive bounds, built digit position by digit
/// position (no leading zeros, no "-0"). Unbounded sides allow up to 16 digits, like the plain
/// integer rule.
/// </summary>
internal static class IntegerRangeGrammar
{
    private const int MaxDigits = 16;

    /// <summary>Bounds at or beyond ±10^16 are as good as none: the digit limit is tighter.</summary>
    public const long Unbounded = 10_000_000_000_000_000;

    public static string Build(long? min, long? max)
    {
        if (min is { } lo && lo <= -Unbounded) min = null;
        if (max is { } hi && hi >= Unbounded) max = null;
        if (min is { } a && max is { } b && a > b)
        {
            throw new JsonSchemaNotSupportedException("minimum", $"The integer bounds [{a}, {b}] allow no value.");
        }

        var alternatives = new List<string>();
        // Negative numbers: "-" then a magnitude in [max(1, -max), -min].
        if (min is not { } minValue || minValue < 0)
        {
            long magLow = max is { } m && m < 0 ? -m : 1;
            var magnitude = min is { } mn ? NonNegative(magLow, -mn) : AtLeast(magLow);
            alternatives.Add($"\"-\" ( {magnitude} )");
        }

        if (max is not { } maxValue || maxValue >= 0)
        {
            long low = min is { } mn && mn > 0 ? mn : 0;
            alternatives.Add(max is { } mx ? NonNegative(low, mx) : AtLeast(low));
        }

        return string.Join(" | ", alternatives);
    }

    /// <summary>Integers ≥ <paramref name="low"/> (≥ 0) with at most 16 digits.</summary>
    private static string AtLeast(long low)
    {
        if (low == 0)
        {
            return $"\"0\" | [1-9] [0-9]{{0,{MaxDigits - 1}}}";
        }

        var text = Digits(low);
        var sameLength = SameLength(text, new string('9', text.Length));
        return text.Length >= MaxDigits ? sameLength : $"{sameLength} | [1-9] {AnyDigits(text.Length, MaxDigits - 1)}";
    }

    /// <summary>Integers in [low, high], both ≥ 0.</summary>
    private static string NonNegative(long low, long high)
    {
        var parts = new List<string>();
        for (var length = Digits(low).Length; length <= Digits(high).Length; length++)
        {
            var bandLow = Math.Max(low, length == 1 ? 0 : Pow10(length - 1));
            var bandHigh = Math.Min(high, Pow10(length) - 1);
            parts.Add(SameLength(Digits(bandLow), Digits(bandHigh)));
        }

        return string.Join(" | ", parts);
    }

    /// <summary>Numbers of one digit count between two digit strings of that length.</summary>
    private static string SameLength(string from, string to)
    {
        if (from == to)
        {
            return $"\"{from}\"";
        }

        var common = 0;
        while (from[common] == to[common])
        {
            common++;
        }

        var sb = new StringBuilder();
        if (common > 0)
        {
            sb.Append('"').Append(from, 0, common).Append("\" ");
        }

        var first = from[common];
        var last = to[common];
        var rest = from.Length - common - 1;
        if (rest == 0)
        {
            return sb.Append(DigitClass(first, last)).ToString();
        }

        var fromTail = from[(common + 1)..];
        var toTail = to[(common + 1)..];
        var zeros = new string('0', rest);
        var nines = new string('9', rest);
        var parts = new List<string>();
        var fullFrom = first;
        if (fromTail != zeros)
        {
            parts.Add($"[{first}] ( {SameLength(fromTail, nines)} )");
            fullFrom++;
        }

        var fullTo = toTail == nines ? last : (char)(last - 1);
        if (fullFrom <= fullTo)
        {
            parts.Add($"{DigitClass(fullFrom, fullTo)} {AnyDigits(rest, rest)}");
        }

        if (toTail != nines)
        {
            parts.Add($"[{last}] ( {SameLength(zeros, toTail)} )");
        }

        return sb.Append("( ").Append(string.Join(" | ", parts)).Append(" )").ToString();
    }

    private static string DigitClass(char from, char to) => from == to ? $"[{from}]" : $"[{from}-{to}]";

    private static string AnyDigits(int min, int max) =>
        (min, max) switch
        {
            (1, 1) => "[0-9]",
            _ when min == max => $"[0-9]{{{min}}}",
            _ => $"[0-9]{{{min},{max}}}",
        };

    private static string Digits(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
