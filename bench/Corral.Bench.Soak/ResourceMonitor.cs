using System.Diagnostics;
using Corral.Bench.Common;

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

    /// <summary>Reads every process now; <paramref name="record"/> false: for a progress line only, not in <see cref="Samples"/>.</summary>
    public ResourceSample Take(string label, bool record = true)
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

        var sample = new ResourceSample(label, Stopwatch.GetElapsedTime(_started), MachineLoad.Average(), book.TotalRequests, processes);
        if (record)
        {
            lock (_samples)
            {
                _samples.Add(sample);
            }
        }

        return sample;
    }

    /// <summary>
    /// Samples every <paramref name="interval"/> until <paramref name="stop"/> (kept in <see cref="Samples"/> when
    /// <paramref name="record"/>: the measured load, not the warm-up), printing a progress line of <paramref name="progress"/>.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, string phase, RouteBook progress, bool record, CancellationToken stop)
    {
        var began = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var sample = Take($"{phase}+{Stopwatch.GetElapsedTime(began).TotalSeconds:0}s", record);
                var oldest = progress.OldestInFlight() is { } o ? $", oldest in flight {o.Route} {o.Age.TotalSeconds:0} s" : "";
                Console.Error.WriteLine($"{sample.Label}: {progress.TotalRequests} requests, {progress.TotalErrors} errors{oldest}, load {sample.LoadAverage}, " +
                    string.Join(", ", sample.Processes.Select(p => $"{p.Name} {p.Footprint.RssKb / 1024.0:0.0} MiB {p.Footprint.OpenFds} fds")));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);
}
