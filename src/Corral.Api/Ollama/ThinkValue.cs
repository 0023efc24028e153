using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>
/// The <c>think</c> request field: a boolean, or a level "low", "medium", "high" or "max" for models that
/// support reasoning effort. Absent (a null <c>ThinkValue?</c>) means "the model's default behaviour".
/// </summary>
[JsonConverter(typeof(ThinkValueJsonConverter))]
public readonly record struct ThinkValue
{
    private readonly bool _enabled;

    private ThinkValue(bool enabled, string? level)
    {
        _enabled = enabled;
        Level = level;
    }

    public static ThinkValue True { get; } = new(true, null);

    public static ThinkValue False { get; } = new(false, null);

    /// <summary>"low", "medium", "high" or "max"; null when the value is a boolean.</summary>
    public string? Level { get; }

    public bool IsBool => Level is null;

    /// <summary>Thinking is on (true or any level).</summary>
    public bool IsEnabled => Level is not null || _enabled;

    /// <summary>The level to hand a template: the explicit level, "medium" for true, "" for false (as Ollama).</summary>
    public string EffectiveLevel => Level ?? (_enabled ? "medium" : string.Empty);

    /// <summary>Ollama's levels; "max" is the top one (clients' "xhigh" and "ultra" map to it on /v1).</summary>
    public static bool IsValidLevel(string level) => level is "low" or "medium" or "high" or "max";

    /// <summary>Creates a level value; throws <see cref="ArgumentException"/> with Ollama's text for other strings.</summary>
    public static ThinkValue FromLevel(string level) =>
        IsValidLevel(level)
            ? new ThinkValue(true, level)
            : throw new InvalidOptionException(InvalidLevelMessage(level), nameof(level));

    internal static string InvalidLevelMessage(string level) =>
        $"invalid think value: \"{level}\" (must be \"high\", \"medium\", \"low\", \"max\", true, or false)";

    public static implicit operator ThinkValue(bool enabled) => enabled ? True : False;

    public override string ToString() => Level ?? (_enabled ? "true" : "false");
}
