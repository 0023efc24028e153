using System.Diagnostics;
using System.Text;

namespace Corral.Testing;

/// <summary>
/// Everything a child process writes to stdout and stderr (or an in-process server logs, <see cref="LogLines"/>),
/// collected as it comes, for readiness checks and failure messages. A long-running server (a soak's logs a line per
/// request) keeps only its last lines, and an observer may look at every line as it arrives.
/// </summary>
public sealed class ProcessOutputLog
{
    private readonly StringBuilder _text = new();
    private readonly Queue<string>? _lastLines;
    private readonly int _maxLines;
    private readonly Action<string>? _observer;

    private ProcessOutputLog(int? maxLines, Action<string>? observer)
    {
        if (maxLines is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxLines));
            _lastLines = new Queue<string>(max);
            _maxLines = max;
        }

        _observer = observer;
    }

    /// <summary>What was collected: every line, or the last ones when bounded; each line ends with a line break.</summary>
    public string Text
    {
        get
        {
            lock (_text)
            {
                if (_lastLines is null)
                {
                    return _text.ToString();
                }

                var text = new StringBuilder();
                foreach (var line in _lastLines)
                {
                    text.AppendLine(line);
                }

                return text.ToString();
            }
        }
    }

    /// <summary>
    /// Starts reading both redirected streams of <paramref name="process"/>; keeps the last <paramref name="maxLines"/>
    /// (all when null) and hands every line to <paramref name="observer"/> (on the reader's thread, under no lock).
    /// </summary>
    public static ProcessOutputLog Capture(Process process, int? maxLines = null, Action<string>? observer = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        var log = new ProcessOutputLog(maxLines, observer);
        process.OutputDataReceived += (_, e) => log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return log;
    }

    /// <summary>An empty log that lines are added to by <see cref="Append"/> (an in-process server's logger).</summary>
    public static ProcessOutputLog Create(int? maxLines = null, Action<string>? observer = null) => new(maxLines, observer);

    /// <summary>Adds one line (null, the end of a stream, is ignored).</summary>
    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            if (_lastLines is null)
            {
                _text.AppendLine(line);
            }
            else
            {
                if (_lastLines.Count == _maxLines)
                {
                    _lastLines.Dequeue();
                }

                _lastLines.Enqueue(line);
            }
        }

        _observer?.Invoke(line);
    }
}
