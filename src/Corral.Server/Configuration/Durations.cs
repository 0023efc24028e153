using System.Globalization;

namespace Corral.Server.Configuration;

/// <summary>
/// Parses durations as Ollama accepts them for keep_alive: Go duration strings
/// ("5m", "1h30m", "500ms", "-1m"), or plain numbers meaning seconds.
/// Negative means forever; the result is then <see cref="Forever"/>.
/// </summary>
public static class Durations
{
    public static readonly TimeSpan Forever = TimeSpan.MaxValue;

    public static TimeSpan Parse(string text)
    {
        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromSeconds(seconds);
        }

        var negative = false;
        var i = 0;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            negative = s[i] == '-';
            i++;
        }

        if (i >= s.Length)
        {
            throw new FormatException($"time: invalid duration \"{text}\"");
        }

        double totalSeconds = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"time: invalid duration \"{text}\"");
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            totalSeconds += s[unitStart..i] switch
            {
                "ns" => value / 1e9,
                "us" or "µs" or "μs" => value / 1e6,
                "ms" => value / 1e3,
                "s" => value,
                "m" => value * 60,
                "h" => value * 3600,
                "" => throw new FormatException($"time: missing unit in duration \"{text}\""),
                var u => throw new FormatException($"time: unknown unit \"{u}\" in duration \"{text}\""),
            };
        }

        return FromSeconds(negative ? -totalSeconds : totalSeconds);
    }

    public static TimeSpan FromSeconds(double seconds) =>
        seconds < 0 ? Forever : seconds > TimeSpan.MaxValue.TotalSeconds / 2 ? Forever : TimeSpan.FromSeconds(seconds);
}
