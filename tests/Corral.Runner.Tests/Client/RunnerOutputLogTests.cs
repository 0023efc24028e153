using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Corral.Models.Gguf;
using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Testing;
using Microsoft.Extensions.Logging;

namespace Corral.Runner.Tests.Client;

/// <summary>A runner's output reaches the server's log line by line, at its level, and a runner that spews cannot hold the server up.</summary>
public sealed class RunnerOutputLogTests
{
    [Theory]
    [InlineData("warn: runner[0] decode failed: no KV slot", LogLevel.Warning, "runner[0] decode failed: no KV slot")]
    [InlineData("fail: runner[0] model load failed: bad", LogLevel.Error, "runner[0] model load failed: bad")]
    [InlineData("info: Corral.Llama[0] load_tensors: offloaded 0/3 layers to GPU", LogLevel.Information, "Corral.Llama[0] load_tensors: offloaded 0/3 layers to GPU")]
    [InlineData("dbug: Microsoft.AspNetCore.Hosting.Diagnostics[1] Request starting", LogLevel.Debug, "Microsoft.AspNetCore.Hosting.Diagnostics[1] Request starting")]
    [InlineData("/src/ggml.c:123: GGML_ASSERT(x) failed", LogLevel.Warning, "/src/ggml.c:123: GGML_ASSERT(x) failed")]
    [InlineData("info:no space", LogLevel.Warning, "info:no space")]
    public void A_line_keeps_the_level_the_runner_logged_it_at_and_a_raw_line_is_a_warning(string line, LogLevel level, string text) =>
        Assert.Equal((level, text), RunnerOutputLog.Parse(line));

    [Fact]
    public async Task A_runner_that_spews_never_waits_for_the_log_and_what_is_dropped_is_counted()
    {
        var log = new CollectingLogger { Gate = new ManualResetEventSlim(false) };
        var output = new RunnerOutputLog(log, processId: 42);
        const int Written = 20_000;

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Written; i++)
        {
            output.Add($"warn: runner[0] line {i} " + new string('x', i == 0 ? 10_000 : 10));
        }

        var adding = clock.Elapsed;
        log.Gate.Set();
        output.Complete();
        await output.Written.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(adding < TimeSpan.FromSeconds(2), $"adding {Written} lines took {adding} while the log was stuck");
        var lines = log.Entries.Where(e => e.Message.Contains("] line ", StringComparison.Ordinal)).ToList();
        var dropped = log.Entries.Select(e => Regex.Match(e.Message, @"^runner 42: (\d+) output lines not logged \(it wrote more than the log takes, (\d+) lines a second\)$")).Where(m => m.Success).ToList();
        Assert.InRange(lines.Count, RunnerOutputLog.Capacity, RunnerOutputLog.Capacity + 2);
        // Counted as they happen: one report, or two when the log took the count before the last lines came.
        Assert.InRange(dropped.Count, 1, 2);
        Assert.Equal(Written - lines.Count, dropped.Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        Assert.All(dropped, m => Assert.Equal(RunnerOutputLog.LinesPerSecond.ToString(CultureInfo.InvariantCulture), m.Groups[2].Value));
        Assert.All(lines, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Equal("runner 42: runner[0] line 0 " + new string('x', RunnerOutputLog.MaxLineLength - "runner[0] line 0 ".Length - 6) + "…", lines[0].Message);
        var numbers = lines.Select(e => int.Parse(Regex.Match(e.Message, @"\] line (\d+) ").Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(numbers.Order(), numbers); // in the order written; later ones where the log made room
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Fact]
    public async Task A_runners_load_error_reaches_the_log_as_an_error()
    {
        CorralPaths.UseCorralDllForRunners();
        var path = Path.Combine(TempFolders.Create("corral-bad-"), "empty.gguf");
        var writer = new GgufWriter();
        writer.AddString("general.architecture", "llama");
        writer.AddUInt32("llama.block_count", 1);
        writer.WriteTo(path);
        var log = new CollectingLogger();

        await Assert.ThrowsAsync<RunnerException>(() => RunnerProcess.StartAsync(
            new RunnerLaunchOptions { ModelPath = path, SocketPath = string.Empty, ContextPerSlot = 128 },
            progress: null,
            log,
            CancellationToken.None));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!log.Entries.Any(e => e.Message.Contains("model load failed", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var failed = Assert.Single(log.Entries, e => e.Message.Contains("model load failed", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Matches(@"^runner \d+: runner\[\d+\] model load failed: ", failed.Message);
    }

    /// <summary>A log that keeps what it is given; with a <see cref="Gate"/>, every write waits for it (a stuck console).</summary>
    private sealed class CollectingLogger : ILogger
    {
        public ManualResetEventSlim? Gate { get; init; }

        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Gate?.Wait();
            Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
