namespace Corral.Templates.Prompting;

/// <summary>A request's "think": true/false or a level ("high", "medium", "low", "max"); null when not set.</summary>
public sealed record ThinkValue
{
    private ThinkValue(bool? flag, string? level)
    {
        Flag = flag;
        Level = level;
    }

    public bool? Flag { get; }

    public string? Level { get; }

    public static ThinkValue FromBool(bool value) => new(value, null);

    public static ThinkValue FromLevel(string level) => new(null, level);

    /// <summary>What the template sees as .Think: true for true and for the known levels.</summary>
    public bool Enabled => Flag ?? Level is "high" or "medium" or "low" or "max";

    /// <summary>What the template sees as .ThinkLevel: the level, "medium" for plain true, "" otherwise.</summary>
    public string LevelText => Level ?? (Flag == true ? "medium" : "");
}
