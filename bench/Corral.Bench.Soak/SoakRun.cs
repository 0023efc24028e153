using System.Diagnostics;
using Corral.Bench.Common;

namespace Corral.Bench.Soak;

/// <summary>
/// The soak from start to end: store, server, warm-up (both models loaded), the timed load with sampling, the checks
/// after it (slots drained, a probe of every route, runners unchanged), the quiet end sample, and the stop.
/// </summary>
internal static class SoakRun
{
    public static async Task<SoakOutcome> RunAsync(SoakOptions options, Cleanup cleanup, CancellationToken abort)
    {
        var startedUtc = DateTime.UtcNow;
        Console.Error.WriteLine($"soak: {options.Clients} clients for {options.Duration}, models {options.ChatModelPath ?? "tiny generated llama"} / {options.EmbedModelPath ?? "tiny generated BERT"}");
        var store = cleanup.Add(await SoakStore.CreateAsync(options).ConfigureAwait(false));
        var server = cleanup.Add(await SoakServer.StartAsync(store, options).ConfigureAwait(false));
        Console.Error.WriteLine($"server pid {server.ProcessId} on {server.BaseAddress}");

        var firstProbe = new RouteBook();
        await ProbeEveryRouteAsync(server, firstProbe, options, abort).ConfigureAwait(false);
        if (firstProbe.TotalErrors > 0)
        {
            throw new InvalidOperationException("the first request of some route failed: " + DescribeErrors(firstProbe) + "\n" + server.LogTail);
        }

        var warmUpLoad = new RouteBook();
        var load = new RouteBook();
        var monitor = new ResourceMonitor(server, load);
        Console.Error.WriteLine($"warm-up: the same load for {options.WarmUp.TotalSeconds:0} s, not measured");
        await RunLoadAsync(server, warmUpLoad, monitor, options.WarmUp, "warm-up", options.Seed + 1000, options, abort).ConfigureAwait(false);
        using var http = CreateHttp(server);
        var (beforeLoad, _) = await WaitForIdleSlotsAsync(http, abort).ConfigureAwait(false);
        await SettleAsync(server, abort).ConfigureAwait(false);
        var start = monitor.Take("start");
        if (start.Processes.Count != 3)
        {
            throw new InvalidOperationException($"expected the server and two runners after warm-up, found {start.Processes.Count} processes");
        }

        Console.Error.WriteLine("start: " + string.Join(", ", start.Processes.Select(p => $"{p.Name} pid {p.ProcessId}")) + $"; load {start.LoadAverage}");
        var loadRan = await RunLoadAsync(server, load, monitor, options.Duration, phase: "", options.Seed, options, abort).ConfigureAwait(false);

        var (afterLoad, drained) = await WaitForIdleSlotsAsync(http, abort).ConfigureAwait(false);
        var probe = new RouteBook();
        await ProbeEveryRouteAsync(server, probe, options, abort).ConfigureAwait(false);
        await SettleAsync(server, abort).ConfigureAwait(false);
        monitor.Take("end");

        var runnerIds = monitor.RunnerIds;
        var stop = await server.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        var left = await RunnersLeftAsync(runnerIds.Values.SelectMany(ids => ids).ToList()).ConfigureAwait(false);
        return new SoakOutcome(options, startedUtc, loadRan, warmUpLoad, load, probe, monitor.Samples, runnerIds, beforeLoad, afterLoad, drained, server.Problems, stop, left);
    }

    /// <summary>
    /// The clients for <paramref name="duration"/>, client i drawing its requests from seed + i, sampled every
    /// SampleEvery (samples kept for the measured load, whose <paramref name="phase"/> is empty; the warm-up's only
    /// print); returns how long the load ran (to the last request's end).
    /// </summary>
    private static async Task<TimeSpan> RunLoadAsync(SoakServer server, RouteBook load, ResourceMonitor monitor, TimeSpan duration, string phase, int seed, SoakOptions options, CancellationToken abort)
    {
        using var http = CreateHttp(server);
        using var stop = new CancellationTokenSource(duration);
        using var stopSampling = new CancellationTokenSource();
        var began = Stopwatch.GetTimestamp();
        var sampling = monitor.RunAsync(options.SampleEvery, phase, load, record: phase.Length == 0, stopSampling.Token);
        var clients = Enumerable.Range(0, options.Clients)
            .Select(i => Task.Run(() => new SoakClient(http, load, options.RequestTimeout, seed + i).RunAsync(stop.Token, abort), CancellationToken.None))
            .ToList();
        await Task.WhenAll(clients).ConfigureAwait(false);
        var ran = Stopwatch.GetElapsedTime(began);
        await stopSampling.CancelAsync().ConfigureAwait(false);
        await sampling.ConfigureAwait(false);
        abort.ThrowIfCancellationRequested();
        Console.Error.WriteLine($"{(phase.Length > 0 ? phase : "load")} ran {ran.TotalSeconds:0} s: {load.TotalRequests} requests, {load.TotalErrors} errors");
        return ran;
    }

    /// <summary>
    /// Every route once, one after another, each expected to succeed: at warm-up (it loads both models) and after the
    /// load (the server is still healthy after thousands of requests and hundreds of dropped streams).
    /// </summary>
    private static async Task ProbeEveryRouteAsync(SoakServer server, RouteBook book, SoakOptions options, CancellationToken abort)
    {
        using var http = CreateHttp(server);
        var client = new SoakClient(http, book, options.RequestTimeout, options.Seed - 1);
        foreach (var action in TrafficMix.Actions)
        {
            await client.SendAsync(action, abort).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After the load, every slot of every runner must come free: a dropped stream whose slot was never released would
    /// hold it forever. Returns the first scrape with none busy (or the last one after 60 s) and how long that took.
    /// </summary>
    private static async Task<(MetricsScrape Metrics, TimeSpan Took)> WaitForIdleSlotsAsync(HttpClient http, CancellationToken abort)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var metrics = await MetricsScrape.ReadAsync(http, abort).ConfigureAwait(false);
            var took = Stopwatch.GetElapsedTime(started);
            if ((metrics["corral_runner_active_slots"] == 0 && metrics["corral_queue_depth"] == 0) || took > TimeSpan.FromSeconds(60))
            {
                return (metrics, took);
            }

            await Task.Delay(250, abort).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until the open fds of the server and its runners have not changed for 5 s (at most 60 s), so the quiet
    /// samples at start and end are taken alike: after the clients' connections have closed on both sides.
    /// </summary>
    private static async Task SettleAsync(SoakServer server, CancellationToken abort)
    {
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        var last = -1;
        var unchanged = 0;
        while (unchanged < 5 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(1000, abort).ConfigureAwait(false);
            var fds = new[] { server.ProcessId }.Concat(server.Runners().Select(r => r.ProcessId)).Sum(pid => ProcessProbe.Read(pid)?.OpenFds ?? 0);
            unchanged = fds == last ? unchanged + 1 : 0;
            last = fds;
        }
    }

    /// <summary>Runner pids still alive 5 s after the server ended (each runner's lifeline should end it within a second).</summary>
    private static async Task<IReadOnlyList<int>> RunnersLeftAsync(IReadOnlyList<int> runners)
    {
        var deadline = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
        while (runners.Any(ProcessProbe.IsAlive) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        return [.. runners.Where(ProcessProbe.IsAlive)];
    }

    /// <summary>
    /// Keep-alive connections, as SDK clients use them; no client-side timeout (the soak's own per-request one applies).
    /// No response draining: by default a response disposed half-read is read on (up to 1 MB, 2 s) to keep its
    /// connection, so a "disconnect" would quietly become a completed stream; with 0 the connection is closed at once.
    /// </summary>
    private static HttpClient CreateHttp(SoakServer server) =>
        new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2), MaxResponseDrainSize = 0 })
        {
            BaseAddress = server.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static string DescribeErrors(RouteBook book) =>
        string.Join("; ", book.All.SelectMany(r => r.Errors().Select(e => $"{r.Route}: {e.Key} ×{e.Value}")));
}
