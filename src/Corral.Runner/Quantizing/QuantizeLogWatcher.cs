using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Corral.Runner.Quantizing;

/// <summary>
/// Receives llama.cpp's log lines inside <c>corral quantize</c>. llama_model_quantize has no progress callback,
/// but it logs one line per tensor that starts with <c>[   i/   n]</c> as it begins that tensor: those become
/// progress. Warnings and errors go to stderr, so the server has llama.cpp's last words if the process dies.
/// </summary>
internal sealed class QuantizeLogWatcher(Action<int, int> tensorStarted) : ILogger
{
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = formatter(state, exception);
        if (logLevel >= LogLevel.Warning)
        {
            Console.Error.WriteLine(line);
        }
        else if (TryParseTensorLine(line, out var index, out var count))
        {
            tensorStarted(index, count);
        }
    }

    /// <summary>Reads <c>[   3/  75] blk.0.attn_q.weight - ...</c> as (3, 75).</summary>
    internal static bool TryParseTensorLine(string line, out int index, out int count)
    {
        index = count = 0;
        var span = line.AsSpan();
        if (span.Length < 5 || span[0] != '[')
        {
            return false;
        }

        var close = span.IndexOf(']');
        if (close < 0)
        {
            return false;
        }

        var inside = span[1..close];
        var slash = inside.IndexOf('/');
        return slash > 0
            && int.TryParse(inside[..slash].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && int.TryParse(inside[(slash + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out count)
            && index >= 1 && index <= count;
    }
}
