using Microsoft.Extensions.Logging;

namespace Corral.Testing;

/// <summary>
/// A logger provider that writes each entry as one line into a <see cref="ProcessOutputLog"/>, in the shape of the
/// console log <c>corral serve</c> writes (ServerLogging: UTC timestamp, level, category, event id, message), so tests
/// read an in-process server's log as they read a server process's output.
/// </summary>
public sealed class LogLines(ProcessOutputLog log) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Writer(log, categoryName);

    public void Dispose()
    {
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private sealed class Writer(ProcessOutputLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = $"{message} {exception}";
            }

            // One entry, one line, as the single-line console formatter writes it.
            var text = $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fff}Z {Level(logLevel)}: {category}[{eventId.Id}] {message}"
                .ReplaceLineEndings(" ");
            log.Append(text);
        }
    }
}
