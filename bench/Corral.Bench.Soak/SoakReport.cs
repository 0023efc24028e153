using System.Globalization;
using System.Text;

namespace Corral.Bench.Soak;

/// <summary>
/// The soak's result as Markdown (stdout), ready for docs/status.md: setup, routes, errors, resources, verdict. Numbers
/// print with "." whatever the locale: the repository builds with InvariantGlobalization.
/// </summary>
internal static class SoakReport
{
    public static string Write(SoakOutcome outcome, IReadOnlyList<(string Check, bool Passed)> checks, string commandLine)
    {
        var o = outcome.Options;
        var text = new StringBuilder();
        text.AppendLine($"Command: `{commandLine}`");
        text.AppendLine($"Run {outcome.StartedUtc:yyyy-MM-dd HH:mm} UTC on {Machine()}; {o.Clients} clients for {outcome.LoadRan.TotalSeconds:0} s after {o.WarmUp.TotalSeconds:0} s of the same load as warm-up ({outcome.WarmUp.TotalRequests} requests, not in the table); " +
            $"models {o.ChatModelPath ?? "tiny generated llama (n_embd 64, 2 layers, F32)"} + {o.EmbedModelPath ?? "tiny generated BERT"}; " +
            $"OLLAMA_NUM_PARALLEL={o.Parallel}, OLLAMA_CONTEXT_LENGTH={o.ContextLength}, OLLAMA_MAX_LOADED_MODELS=2, OLLAMA_KEEP_ALIVE=-1; " +
            $"num_predict 16–32 (dropped streams 64–128, cut after 1–4 chunks); request timeout {o.RequestTimeout.TotalSeconds:0} s.");
        text.AppendLine($"Load average (1/5/15 min): {string.Join("; ", outcome.Samples.Where(s => s.Label is "start" or "end").Select(s => $"{s.Label} {s.LoadAverage}"))}; " +
            $"highest 1-min during the load {outcome.Samples.Max(s => double.Parse(s.LoadAverage.Split(' ')[0], CultureInfo.InvariantCulture)):0.00}.");
        text.AppendLine();

        text.AppendLine("| route | requests | errors | p50 ms | p99 ms | max ms |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var route in outcome.Load.All)
        {
            var latencies = route.Latencies();
            text.AppendLine($"| {route.Route} | {route.Count} | {route.ErrorCount} | {Quantile(latencies, 0.5):0} | {Quantile(latencies, 0.99):0} | {(latencies.Length > 0 ? latencies.Max() : double.NaN):0} |");
        }

        text.AppendLine($"| **all** | {outcome.Load.TotalRequests} | {outcome.Load.TotalErrors} | | | |");
        text.AppendLine($"\n{outcome.Load.TotalRequests / outcome.LoadRan.TotalSeconds:0.0} requests/s. Latency is of the good requests, to the last byte (for a dropped stream, to the drop).");
        text.AppendLine();

        var errors = outcome.WarmUp.All.Select(r => Renamed(r, "warm-up")).Concat(outcome.Load.All).Concat(outcome.Probe.All.Select(r => Renamed(r, "probe after the load")))
            .SelectMany(r => r.Errors().Select(e => (r.Route, Kind: e.Key, Count: e.Value))).ToList();
        text.AppendLine(errors.Count == 0 ? "Errors by kind: none." : "Errors by kind:");
        if (errors.Count > 0)
        {
            text.AppendLine("\n| route | kind | count |\n| --- | --- | ---: |");
            foreach (var (route, kind, count) in errors.OrderByDescending(e => e.Count))
            {
                text.AppendLine($"| {route} | {kind.Replace("|", "\\|", StringComparison.Ordinal)} | {count} |");
            }
        }

        var problems = outcome.ServerLogProblems;
        text.AppendLine(problems.Count == 0 ? "\nServer log: no warnings or failures." : "\nServer log warnings and failures:");
        foreach (var (kind, count) in problems.OrderByDescending(p => p.Value))
        {
            text.AppendLine($"- {kind} ×{count}");
        }

        text.AppendLine();
        AppendResources(text, outcome.Samples);
        text.AppendLine();
        AppendMetrics(text, outcome.BeforeLoad, outcome.AfterLoad);
        text.AppendLine();
        var passed = checks.All(c => c.Passed);
        text.AppendLine($"Verdict: **{(passed ? "PASS" : "FAIL")}**");
        foreach (var (check, ok) in checks)
        {
            text.AppendLine($"- {(ok ? "ok" : "FAILED")}: {check}");
        }

        return text.ToString();
    }

    /// <summary>Start (quiet, after warm-up) and end (quiet, after the load and the probe) per process, and the peak in between.</summary>
    private static void AppendResources(StringBuilder text, IReadOnlyList<ResourceSample> samples)
    {
        var start = samples.First(s => s.Label == "start");
        var end = samples[^1];
        text.AppendLine("| process | pid | RSS MiB start → end (peak) | fds start → end (peak) | threads start → end |");
        text.AppendLine("| --- | ---: | --- | --- | --- |");
        foreach (var first in start.Processes)
        {
            var last = end.Processes.FirstOrDefault(p => p.Name == first.Name);
            var all = samples.SelectMany(s => s.Processes).Where(p => p.Name == first.Name).ToList();
            text.AppendLine($"| {first.Name} | {first.ProcessId} | {SoakVerdict.Mib(first.Footprint.RssKb)} → {(last is null ? "gone" : SoakVerdict.Mib(last.Footprint.RssKb))} ({SoakVerdict.Mib(all.Max(p => p.Footprint.RssKb))}) " +
                $"| {first.Footprint.OpenFds} → {last?.Footprint.OpenFds.ToString(CultureInfo.InvariantCulture) ?? "gone"} ({all.Max(p => p.Footprint.OpenFds)}) " +
                $"| {first.Footprint.Threads} → {last?.Footprint.Threads.ToString(CultureInfo.InvariantCulture) ?? "gone"} |");
        }

        text.AppendLine();
        text.AppendLine("<details><summary>every sample (RSS MiB / fds)</summary>\n");
        var names = start.Processes.Select(p => p.Name).ToList();
        text.AppendLine($"| sample | load avg | requests | {string.Join(" | ", names)} |");
        text.AppendLine($"| --- | --- | ---: |{string.Concat(names.Select(_ => " --- |"))}");
        foreach (var sample in samples)
        {
            var cells = names.Select(n => sample.Processes.FirstOrDefault(p => p.Name == n) is { } p ? $"{SoakVerdict.Mib(p.Footprint.RssKb)} / {p.Footprint.OpenFds}" : "-");
            text.AppendLine($"| {sample.Label} | {sample.LoadAverage} | {sample.Requests} | {string.Join(" | ", cells)} |");
        }

        text.AppendLine("\n</details>");
    }

    /// <summary>
    /// What the server's own gauges say at start and end, beside RSS: the chat runner's host-memory prompt cache grows
    /// by design (bounded by CORRAL_PROMPT_CACHE_MB and 256 entries), which is memory growth but not a leak.
    /// </summary>
    private static void AppendMetrics(StringBuilder text, MetricsScrape before, MetricsScrape after)
    {
        string Both(string metric, double scale = 1) => $"{before[metric] / scale:0.##} → {after[metric] / scale:0.##}";
        text.AppendLine($"Server metrics start → end: prompt cache {Both("corral_prompt_cache_bytes", 1024 * 1024)} MiB, " +
            $"KV cells in use {Both("corral_kv_cache_used_cells")}, loaded models {Both("corral_loaded_models")}, " +
            $"runner restarts {Both("corral_runner_restarts_total")}.");
    }

    private static RouteStats Renamed(RouteStats stats, string phase)
    {
        var renamed = new RouteStats($"{stats.Route} ({phase})");
        foreach (var (kind, count) in stats.Errors())
        {
            for (var i = 0; i < count; i++)
            {
                renamed.RecordError(kind);
            }
        }

        return renamed;
    }

    private static double Quantile(double[] samples, double fraction)
    {
        if (samples.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(samples);
        var rank = fraction * (samples.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, samples.Length - 1);
        return samples[low] + ((rank - low) * (samples[high] - samples[low]));
    }

    private static string Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kb = long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return $"{cpu}, {Environment.ProcessorCount} cores, {kb / 1024.0 / 1024.0:0.0} GiB";
    }

}
