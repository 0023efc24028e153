using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Corral.Llama.Tests;

public sealed class LogRoutingTests
{
    [Fact]
    public void Native_log_lines_reach_the_logger_with_mapped_levels()
    {
        var logger = new CollectingLogger();
        LlamaBackend.EnsureInitialized(logger);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not gguf");
            Assert.Throws<LlamaModelLoadException>(() => LlamaModel.Load(path));
        }
        finally
        {
            File.Delete(path);
        }

        // llama.cpp reports the failure at error level; each entry is one whole line.
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(path, StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Entries, e => e.Message.EndsWith('\n'));
    }

    private sealed class CollectingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
