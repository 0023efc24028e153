using System.Globalization;
using System.Text;

namespace Corral.Api.Json;

/// <summary>
/// Parses and formats durations in Go's <c>time.Duration</c> text form ("5m0s", "1h30m", "1.5s", "300ms"),
/// which Ollama uses for <c>keep_alive</c> and <c>OLLAMA_KEEP_ALIVE</c>. Values are nanoseconds.
/// </summary>
public static class GoDuration
{
    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;
    private const long Second = 1_000_000_000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;

    /// <summary>Parses Go duration text; throws <see cref="FormatException"/> with Go's wording on bad input.</summary>
    public static long Parse(string text)
    {
        if (!TryParse(text, out var nanoseconds, out var error))
        {
            throw new FormatException(error);
        }

        return nanoseconds;
    }

    public static bool TryParse(string text, out long nanoseconds) => TryParse(text, out nanoseconds, out _);

    private static bool TryParse(string text, out long nanoseconds, out string error)
    {
        nanoseconds = 0;
        error = $"time: invalid duration \"{text}\"";
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        // Go accepts a bare "0" (and "-0", "+0") without a unit and nothing else unit-less.
        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        double total = 0;
        while (!s.IsEmpty)
        {
            var intEnd = 0;
            while (intEnd < s.Length && char.IsAsciiDigit(s[intEnd]))
            {
                intEnd++;
            }

            var numberEnd = intEnd;
            var hasFraction = false;
            if (numberEnd < s.Length && s[numberEnd] == '.')
            {
                numberEnd++;
                hasFraction = true;
                while (numberEnd < s.Length && char.IsAsciiDigit(s[numberEnd]))
                {
                    numberEnd++;
                }
            }

            // "." alone or a unit with no number at all is invalid.
            if (intEnd == 0 && (!hasFraction || numberEnd == 1))
            {
                return false;
            }

            var unitEnd = numberEnd;
            while (unitEnd < s.Length && s[unitEnd] != '.' && !char.IsAsciiDigit(s[unitEnd]))
            {
                unitEnd++;
            }

            if (unitEnd == numberEnd)
            {
                error = $"time: missing unit in duration \"{text}\"";
                return false;
            }

            long unit;
            switch (s[numberEnd..unitEnd])
            {
                case "ns": unit = 1; break;
                case "us" or "\u00b5s" or "\u03bcs": unit = Microsecond; break;
                case "ms": unit = Millisecond; break;
                case "s": unit = Second; break;
                case "m": unit = Minute; break;
                case "h": unit = Hour; break;
                default:
                    error = $"time: unknown unit \"{s[numberEnd..unitEnd]}\" in duration \"{text}\"";
                    return false;
            }

            var number = s[..numberEnd];
            if (number is ".")
            {
                return false;
            }

            total += double.Parse(number.EndsWith(".") ? number[..^1] : number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * unit;
            if (total > long.MaxValue)
            {
                return false;
            }

            s = s[unitEnd..];
        }

        nanoseconds = (long)Math.Round(total);
        if (negative)
        {
            nanoseconds = -nanoseconds;
        }

        return true;
    }

    /// <summary>Formats like Go's <c>Duration.String()</c>: "0s", "1.5µs", "300ms", "5m0s", "1h30m0s".</summary>
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var builder = new StringBuilder(24);
        var u = nanoseconds == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(nanoseconds);
        if (nanoseconds < 0)
        {
            builder.Append('-');
        }

        if (u < Second)
        {
            var (scale, suffix) = u switch
            {
                < Microsecond => (1UL, "ns"),
                < Millisecond => ((ulong)Microsecond, "\u00b5s"),
                _ => ((ulong)Millisecond, "ms"),
            };
            AppendWithFraction(builder, u, scale);
            builder.Append(suffix);
            return builder.ToString();
        }

        var hours = u / Hour;
        var minutes = u / Minute % 60;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        AppendWithFraction(builder, u % Minute, Second);
        builder.Append('s');
        return builder.ToString();
    }

    // Writes value/scale with the fraction's trailing zeros removed and no point when it is whole.
    private static void AppendWithFraction(StringBuilder builder, ulong value, ulong scale)
    {
        builder.Append((value / scale).ToString(CultureInfo.InvariantCulture));
        var fraction = value % scale;
        if (fraction == 0)
        {
            return;
        }

        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        var text = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        builder.Append('.').Append(text);
    }
}
