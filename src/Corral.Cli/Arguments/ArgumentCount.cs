namespace Corral.Cli.Arguments;

/// <summary>How many positional arguments a verb takes, with cobra's error texts.</summary>
internal sealed record ArgumentCount(int Min, int Max)
{
    public static ArgumentCount None { get; } = new(0, 0);

    public static ArgumentCount Exactly(int n) => new(n, n);

    public static ArgumentCount AtLeast(int n) => new(n, int.MaxValue);

    public static ArgumentCount Between(int min, int max) => new(min, max);

    /// <summary>Null when <paramref name="received"/> fits, else the error message.</summary>
    public string? Check(int received, string verb)
    {
        if (received >= Min && received <= Max)
        {
            return null;
        }

        if (Min == Max)
        {
            return Min == 0
                ? $"unknown command \"{verb}\" for \"corral {verb}\""
                : $"accepts {Min} arg(s), received {received}";
        }

        if (Max == int.MaxValue)
        {
            return $"requires at least {Min} arg(s), only received {received}";
        }

        return $"accepts between {Min} and {Max} arg(s), received {received}";
    }
}
