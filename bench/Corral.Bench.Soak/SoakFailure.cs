namespace Corral.Bench.Soak;

/// <summary>An answer the soak counts as an error, with its kind already worded (e.g. "HTTP 500: runner crashed").</summary>
internal sealed class SoakFailure(string kind) : Exception(kind)
{
    public string Kind { get; } = kind;
}
