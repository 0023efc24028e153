namespace Corral.Bench.Soak;

/// <summary>
/// The server's warnings and failures, counted by kind (the logger category and first words) as its output comes,
/// which the report prints beside the clients' own errors. A soak logs a line per request, far too much to keep: the
/// server keeps only its last lines (for a failure message), and this sees every line on the way.
/// </summary>
internal sealed class ServerProblems
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>warn/fail/crit lines by kind.</summary>
    public IReadOnlyDictionary<string, int> Counts
    {
        get
        {
            lock (_counts)
            {
                return new Dictionary<string, int>(_counts);
            }
        }
    }

    /// <summary>Looks at one line of the server's output.</summary>
    public void Observe(string line)
    {
        if (ProblemKind(line) is { } kind)
        {
            lock (_counts)
            {
                _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
            }
        }
    }

    /// <summary>"fail: Category message…" → "fail: Category: first words"; null for info lines.</summary>
    private static string? ProblemKind(string line)
    {
        foreach (var level in (ReadOnlySpan<string>)["warn: ", "fail: ", "crit: "])
        {
            var at = line.IndexOf(level, StringComparison.Ordinal);
            if (at < 0 || at > 32)
            {
                continue;
            }

            var rest = line[(at + level.Length)..];
            var bracket = rest.IndexOf('[', StringComparison.Ordinal);
            var category = bracket > 0 ? rest[..bracket] : "";
            var message = bracket > 0 && rest.IndexOf(' ', bracket) is var space and > 0 ? rest[(space + 1)..] : rest;
            return $"{level}{category}: {ErrorKinds.FirstWords(message)}";
        }

        return null;
    }
}
