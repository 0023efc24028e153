namespace Corral.Bench.Soak;

/// <summary>
/// Issue 16's goal as checks: no errors, every slot free after the load, no runner replaced, both runners gone after a
/// SIGTERM to the server, and memory and fds flat from the quiet sample after warm-up to the quiet sample at the end
/// (and RSS over the load's second half).
/// </summary>
internal static class SoakVerdict
{
    /// <summary>RSS may move this much without being called growth: the GC heap and allocator arenas breathe.</summary>
    public const long RssToleranceKb = 16 * 1024;

    /// <summary>…or this fraction of the start, whichever is larger.</summary>
    public const double RssToleranceFraction = 0.10;

    /// <summary>Descriptors the server may open once and keep (a lazily opened file), not a leak by themselves.</summary>
    public const int FdTolerance = 2;

    /// <summary>Each check: its wording and whether it passed.</summary>
    public static IReadOnlyList<(string Check, bool Passed)> Checks(SoakOutcome outcome)
    {
        var checks = new List<(string, bool)>();
        var errors = outcome.WarmUp.TotalErrors + outcome.Load.TotalErrors + outcome.Probe.TotalErrors;
        checks.Add(($"errors: {errors} (warm-up {outcome.WarmUp.TotalErrors}, load {outcome.Load.TotalErrors}, probe after the load {outcome.Probe.TotalErrors})", errors == 0));
        var active = outcome.AfterLoad["corral_runner_active_slots"];
        var queued = outcome.AfterLoad["corral_queue_depth"];
        checks.Add(($"slots free after the load: active {active}, queue {queued} (after {outcome.SlotsDrainedAfter.TotalSeconds:0.0} s)", active == 0 && queued == 0));
        // A dropped stream the server finished anyway would test nothing: it must see the client go (499), except for the
        // few that ended before the client's cut (the random model can say end-of-text in its first tokens).
        var dropped = outcome.WarmUp[TrafficMix.Disconnect].Count + outcome.Load[TrafficMix.Disconnect].Count;
        var closed = outcome.AfterLoad.Sum("corral_http_requests_total", "status=\"499\"");
        checks.Add(($"dropped streams seen by the server as closed by the client (499): {closed} of {dropped}", closed > 0 && closed <= dropped));
        var restarts = outcome.AfterLoad["corral_runner_restarts_total"];
        var replaced = outcome.RunnerIds.Where(r => r.Value.Count > 1).Select(r => r.Key).ToList();
        checks.Add(($"runners never replaced: restarts {restarts}, pids per runner {string.Join(", ", outcome.RunnerIds.Select(r => $"{r.Key} {string.Join('/', r.Value)}"))}",
            restarts == 0 && replaced.Count == 0 && outcome.RunnerIds.Count == 2));
        checks.Add(($"server stopped by SIGTERM in {outcome.Stop.Took.TotalSeconds:0.0} s (exit {outcome.Stop.ExitCode}{(outcome.Stop.Killed ? ", had to be killed" : "")}), runners left {outcome.RunnersLeft.Count}",
            outcome.Stop.WasRunning && !outcome.Stop.Killed && outcome.RunnersLeft.Count == 0));

        var start = outcome.Samples.First(s => s.Label == "start");
        var end = outcome.Samples[^1];
        foreach (var first in start.Processes)
        {
            if (end.Processes.FirstOrDefault(p => p.Name == first.Name) is not { } last)
            {
                checks.Add(($"{first.Name}: missing at the end", false));
                continue;
            }

            var rssGrowth = last.Footprint.RssKb - first.Footprint.RssKb;
            var rssAllowed = Math.Max(RssToleranceKb, (long)(first.Footprint.RssKb * RssToleranceFraction));
            checks.Add(($"{first.Name} RSS {Mib(first.Footprint.RssKb)} → {Mib(last.Footprint.RssKb)} MiB ({Signed(rssGrowth / 1024.0)} MiB; allowed +{Mib(rssAllowed)})", rssGrowth <= rssAllowed));
            // A leak keeps growing; warm-up growth levels off. So the second half of the load must be flat too (samples
            // under load, compared with each other: the midpoint and the last one before the clients stopped).
            var underLoad = outcome.Samples.Where(s => s.Label.StartsWith('+')).Select(s => s.Processes.FirstOrDefault(p => p.Name == first.Name)).OfType<ProcessSample>().ToList();
            if (underLoad.Count >= 2)
            {
                var (mid, final) = (underLoad[(underLoad.Count - 1) / 2], underLoad[^1]);
                var lateGrowth = final.Footprint.RssKb - mid.Footprint.RssKb;
                var lateAllowed = Math.Max(RssToleranceKb, (long)(mid.Footprint.RssKb * RssToleranceFraction));
                checks.Add(($"{first.Name} RSS over the second half of the load {Mib(mid.Footprint.RssKb)} → {Mib(final.Footprint.RssKb)} MiB ({Signed(lateGrowth / 1024.0)} MiB)", lateGrowth <= lateAllowed));
            }

            var fdGrowth = last.Footprint.OpenFds - first.Footprint.OpenFds;
            checks.Add(($"{first.Name} fds {first.Footprint.OpenFds} → {last.Footprint.OpenFds} ({Signed(fdGrowth)}; allowed +{FdTolerance})", fdGrowth <= FdTolerance));
        }

        return checks;
    }

    public static string Mib(long kb) => (kb / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static string Signed(double value) => value.ToString("+0.#;-0.#;0", System.Globalization.CultureInfo.InvariantCulture);
}
