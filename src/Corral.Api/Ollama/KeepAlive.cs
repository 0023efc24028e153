using System.Globalization;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>
/// How long a model stays loaded after a request (<c>keep_alive</c>). On the wire a Go duration string
/// ("5m", "1h30m", "10s") or a number of seconds; any negative value means "forever", zero means
/// "unload right after this request". Also parses <c>OLLAMA_KEEP_ALIVE</c>, which allows a bare integer
/// string of seconds; JSON strings get the same leniency.
/// </summary>
[JsonConverter(typeof(KeepAliveJsonConverter))]
public readonly record struct KeepAlive
{
    private KeepAlive(long nanoseconds) => Nanoseconds = nanoseconds;

    /// <summary>Duration in nanoseconds; <see cref="long.MaxValue"/> when <see cref="IsForever"/>.</summary>
    public long Nanoseconds { get; }

    /// <summary>Ollama's default of five minutes.</summary>
    public static KeepAlive Default { get; } = new(5 * 60 * 1_000_000_000L);

    public static KeepAlive Forever { get; } = new(long.MaxValue);

    public static KeepAlive UnloadNow { get; } = new(0);

    public bool IsForever => Nanoseconds == long.MaxValue;

    public bool IsUnloadNow => Nanoseconds == 0;

    /// <summary>The duration, or null when the model is to stay loaded forever.</summary>
    public TimeSpan? Duration => IsForever ? null : TimeSpan.FromTicks(Nanoseconds / 100);

    public static KeepAlive FromNanoseconds(long nanoseconds) => new(nanoseconds < 0 ? long.MaxValue : nanoseconds);

    public static KeepAlive FromTimeSpan(TimeSpan duration) =>
        duration < TimeSpan.Zero ? Forever : FromNanoseconds(checked(duration.Ticks * 100));

    /// <summary>A JSON number: seconds, fractional allowed, negative = forever.</summary>
    public static KeepAlive FromSeconds(double seconds) =>
        seconds < 0 ? Forever
        : seconds * 1e9 >= long.MaxValue ? Forever
        : new((long)(seconds * 1e9));

    /// <summary>Parses a Go duration ("5m", "-1m") or a bare number of seconds ("300", "-1").</summary>
    public static KeepAlive Parse(string text)
    {
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromSeconds(seconds);
        }

        return FromNanoseconds(GoDuration.Parse(trimmed));
    }

    public static bool TryParse(string? text, out KeepAlive value)
    {
        value = Default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            value = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Go's duration text ("5m0s"), or "-1" for forever (what Ollama writes on the wire).</summary>
    public override string ToString() => IsForever ? "-1" : GoDuration.Format(Nanoseconds);
}
