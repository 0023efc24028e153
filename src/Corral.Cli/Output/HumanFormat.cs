using System.Globalization;

namespace Corral.Cli.Output;

/// <summary>
/// Sizes, durations and times written the way the <c>ollama</c> CLI writes them: decimal units
/// ("1.3 GB", "23 MB"), coarse relative times ("2 minutes ago", "4 minutes from now", "Forever").
/// </summary>
internal static class HumanFormat
{
    private const double Kilo = 1000;
    private const double Mega = Kilo * 1000;
    private const double Giga = Mega * 1000;
    private const double Tera = Giga * 1000;

    /// <summary>Decimal units; one decimal below 10 unless the value is whole ("1.3 GB", "23 MB", "2 GB").</summary>
    public static string Bytes(long bytes)
    {
        double value;
        string unit;
        switch (bytes)
        {
            case >= (long)Tera:
                value = bytes / Tera;
                unit = "TB";
                break;
            case >= (long)Giga:
                value = bytes / Giga;
                unit = "GB";
                break;
            case >= (long)Mega:
                value = bytes / Mega;
                unit = "MB";
                break;
            case >= (long)Kilo:
                value = bytes / Kilo;
                unit = "KB";
                break;
            default:
                return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        if (value >= 10 || value == Math.Truncate(value))
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture) + " " + unit;
        }

        // Go's %.1f rounds half to even on the binary value; ToString("F1") is close enough for display.
        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + unit;
    }

    /// <summary>A parameter count as Ollama shows it: whole values bare ("8B"), others with one decimal ("1.2B", "135.1M").</summary>
    public static string Number(ulong count)
    {
        static string Scaled(double value, string unit) =>
            (value == Math.Floor(value) ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.0", CultureInfo.InvariantCulture)) + unit;

        return count switch
        {
            >= 1_000_000_000 => Scaled(count / 1e9, "B"),
            >= 1_000_000 => Scaled(count / 1e6, "M"),
            >= 1_000 => Scaled(count / 1e3, "K"),
            _ => count.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>An approximate length of time ("Less than a second", "About a minute", "3 hours", "2 weeks").</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = (long)span.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }

        if (seconds == 1)
        {
            return "1 second";
        }

        if (seconds < 60)
        {
            return $"{seconds} seconds";
        }

        var minutes = (long)span.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }

        if (minutes < 60)
        {
            return $"{minutes} minutes";
        }

        var hours = (long)Math.Round(span.TotalHours, MidpointRounding.AwayFromZero);
        return hours switch
        {
            1 => "About an hour",
            < 48 => $"{hours} hours",
            < 24 * 7 * 2 => $"{hours / 24} days",
            < 24 * 30 * 2 => $"{hours / 24 / 7} weeks",
            < 24 * 365 * 2 => $"{hours / 24 / 30} months",
            _ => $"{hours / 24 / 365} years",
        };
    }

    /// <summary>
    /// A point in time relative to <paramref name="now"/>: "2 minutes ago", "4 minutes from now", "Forever" for
    /// more than 20 years ahead (a keep_alive of -1), <paramref name="zeroValue"/> for an unset time.
    /// </summary>
    public static string Time(DateTimeOffset time, DateTimeOffset now, string zeroValue)
    {
        if (time == default || time.UtcDateTime == DateTime.MinValue)
        {
            return zeroValue;
        }

        var delta = now - time;
        if ((long)delta.TotalHours / 24 / 365 < -20)
        {
            return "Forever";
        }

        return delta < TimeSpan.Zero ? Duration(-delta) + " from now" : Duration(delta) + " ago";
    }

    /// <summary>A Go <c>time.Duration</c> string from nanoseconds ("1.234s", "97.8ms"), as Ollama's timing stats print.</summary>
    public static string GoDuration(long nanoseconds) => Corral.Api.Json.GoDuration.Format(nanoseconds);
}
