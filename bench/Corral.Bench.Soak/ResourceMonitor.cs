using System.Diagnostics;

namespace Corral.Bench.Soak;

/// <summary>Samples the server and its runners (RSS, fds, threads) on demand and every interval while the load runs.</summary>
internal sealed class ResourceMonitor(SoakServer server, RouteBook book)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<ResourceSample> _samples = [];

    public IReadOnlyList<ResourceSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Every runner pid seen in any sample, by model: a model with two pids had its runner replaced.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<int>> RunnerIds =>
        Samples.SelectMany(s => s.Processes).Where(p => p.Name != "server")
            .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => (IReadOnlySet<int>)g.Select(p => p.ProcessId).ToHashSet());

    public ResourceSample Take(string label)
    {
        var processes = new List<ProcessSample>();
        if (ProcessProbe.Read(server.ProcessId) is { } own)
        {
            processes.Add(new ProcessSample("server", server.ProcessId, own));
        }

        foreach (var runner in server.Runners().OrderBy(r => r.Model, StringComparer.Ordinal))
        {
            if (ProcessProbe.Read(runner.ProcessId) is { } footprint)
            {
                processes.Add(new ProcessSample("runner " + runner.Model, runner.ProcessId, footprint));
            }
        }

        var sample = new ResourceSample(label, Stopwatch.GetElapsedTime(_started), ProcessProbe.LoadAverage(), book.TotalRequests, processes);
        lock (_samples)
        {
            _samples.Add(sample);
        }

        return sample;
    }

    /// <summary>Samples every <paramref name="interval"/> until <paramref name="stop"/>, printing a progress line each time.</summary>
    public async Task RunAsync(TimeSpan interval, TimeSpan loadStarted, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var sample = Take($"+{(Stopwatch.GetElapsedTime(_started) - loadStarted).TotalSeconds:0}s");
                Console.Error.WriteLine($"{sample.Label}: {book.TotalRequests} requests, {book.TotalErrors} errors, load {sample.LoadAverage}, " +
                    string.Join(", ", sample.Processes.Select(p => $"{p.Name} {p.Footprint.RssKb / 1024.0:0.0} MiB {p.Footprint.OpenFds} fds")));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);
}
