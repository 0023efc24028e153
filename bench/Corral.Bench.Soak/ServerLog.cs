using System.Diagnostics;

namespace Corral.Bench.Soak;

/// <summary>
/// The server's console output, read as it comes. A soak logs a line per request, far too much to keep, so this keeps
/// the last lines (for a failure message) and counts warnings and failures by kind (the logger category and first
/// words), which the report prints beside the clients' own errors.
/// </summary>
internal sealed class ServerLog
{
    private const int TailLines = 200;

    private readonly Queue<string> _tail = new();
    private readonly Dictionary<string, int> _problems = new(StringComparer.Ordinal);

    private ServerLog()
    {
    }

    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>warn/fail/crit lines by kind.</summary>
    public IReadOnlyDictionary<string, int> Problems
    {
        get
        {
            lock (_tail)
            {
                return new Dictionary<string, int>(_problems);
            }
        }
    }

    public static ServerLog Capture(Process process)
    {
        var log = new ServerLog();
        process.OutputDataReceived += (_, e) => log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return log;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            if (ProblemKind(line) is { } kind)
            {
                _problems[kind] = _problems.GetValueOrDefault(kind) + 1;
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
