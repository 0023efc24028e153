using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Corral.Runner.Client;

/// <summary>
/// Forwards a runner's output to the server's log, line by line: its console log (stdout, one line per entry as
/// <c>level: category[id] message</c>) at the level the runner logged it, and anything written raw to stderr
/// (ggml's abort message, the C++ runtime's last words) as a warning. Bounded, so a runner that spews cannot slow
/// the server: the pipe readers only try to queue a line (never wait), the queue holds a fixed number, lines are
/// cut to a fixed length, and they are written at most <see cref="LinesPerSecond"/> a second; what does not fit is
/// dropped and counted in one warning.
/// </summary>
internal sealed partial class RunnerOutputLog
{
    /// <summary>Enough for llama.cpp's verbose model load (a few hundred lines) at once.</summary>
    public const int Capacity = 2048;

    public const int LinesPerSecond = 500;

    public const int MaxLineLength = 2000;

    private readonly Channel<string> _lines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly ILogger _logger;
    private readonly int _processId;
    private long _dropped;

    public RunnerOutputLog(ILogger logger, int processId)
    {
        _logger = logger;
        _processId = processId;
        Written = Task.Run(WriteAsync);
    }

    /// <summary>Completes once <see cref="Complete"/> was called and every queued line is written.</summary>
    public Task Written { get; }

    /// <summary>Queues one line of the runner's output, or counts it as dropped when the queue is full.</summary>
    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        if (line.Length > MaxLineLength)
        {
            line = string.Concat(line.AsSpan(0, MaxLineLength), "…");
        }

        if (!_lines.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>No more lines: the runner's output has ended.</summary>
    public void Complete() => _lines.Writer.TryComplete();

    private async Task WriteAsync()
    {
        var windowStart = Stopwatch.GetTimestamp();
        var left = LinesPerSecond;
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var (level, text) = Parse(line);
            if (!_logger.IsEnabled(level))
            {
                continue;
            }

            if (left == 0)
            {
                var wait = TimeSpan.FromSeconds(1) - Stopwatch.GetElapsedTime(windowStart);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }

                windowStart = Stopwatch.GetTimestamp();
                left = LinesPerSecond;
            }

            ReportDropped();
            LogLine(_logger, level, _processId, text);
            left--;
        }

        ReportDropped();
    }

    private void ReportDropped()
    {
        if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
        {
            LogDropped(_logger, _processId, dropped, LinesPerSecond);
        }
    }

    /// <summary>The level of a line of the runner's console log (SimpleConsole's prefix, dropped); a raw line is a warning.</summary>
    internal static (LogLevel Level, string Text) Parse(string line)
    {
        var level = line.Length > 6 && line[4] == ':' && line[5] == ' ' ? line[..4] switch
        {
            "trce" => LogLevel.Trace,
            "dbug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" => LogLevel.Warning,
            "fail" => LogLevel.Error,
            "crit" => LogLevel.Critical,
            _ => LogLevel.None,
        } : LogLevel.None;
        return level == LogLevel.None ? (LogLevel.Warning, line.Trim()) : (level, line[6..].Trim());
    }

    [LoggerMessage(Message = "runner {ProcessId}: {Line}")]
    private static partial void LogLine(ILogger logger, LogLevel level, int processId, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "runner {ProcessId}: {Count} output lines not logged (it wrote more than the log takes, {Rate} lines a second)")]
    private static partial void LogDropped(ILogger logger, int processId, long count, int rate);
}
