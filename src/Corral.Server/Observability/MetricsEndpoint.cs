using System.Text;
using Corral.Runner.Protocol;
using Corral.Server.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Server.Observability;

/// <summary>
/// <c>GET /metrics</c>: the collected counters and histograms, plus gauges read at scrape time from
/// the scheduler and from each loaded runner's health.
/// </summary>
public static class MetricsEndpoint
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/metrics", [HttpMethods.Get], static (HttpContext http, MetricsCollector collector, ModelScheduler scheduler) =>
            WriteAsync(http, collector, scheduler));
        return routes;
    }

    private static async Task WriteAsync(HttpContext http, MetricsCollector collector, ModelScheduler scheduler)
    {
        var text = new StringBuilder(4096);
        collector.WriteTo(text);

        PrometheusText.Family(text, "corral_queue_depth", "gauge", "Requests waiting for a runner slot or for their model to load (not those being served).");
        PrometheusText.Sample(text, "corral_queue_depth", string.Empty, scheduler.QueueDepth);
        PrometheusText.Family(text, "corral_runner_restarts_total", "counter", "Runners found dead (crashed) and replaced.");
        PrometheusText.Sample(text, "corral_runner_restarts_total", string.Empty, scheduler.RunnerCrashes);

        var loaded = await scheduler.SnapshotAsync(http.RequestAborted).ConfigureAwait(false);
        PrometheusText.Family(text, "corral_loaded_models", "gauge", "Models loaded in runners.");
        PrometheusText.Sample(text, "corral_loaded_models", string.Empty, loaded.Count);

        var labels = loaded.Select(m => PrometheusText.Label(new StringBuilder(), "model", m.Name).ToString()).ToArray();
        if (loaded.Count > 0)
        {
            PrometheusText.Family(text, "corral_loaded_model_bytes", "gauge", "Estimated memory of each loaded model (weights and KV cache).");
            for (var i = 0; i < loaded.Count; i++)
            {
                PrometheusText.Sample(text, "corral_loaded_model_bytes", labels[i], loaded[i].SizeBytes);
            }
        }

        var health = await Task.WhenAll(loaded.Select(m => HealthOrNullAsync(m, http.RequestAborted))).ConfigureAwait(false);
        WriteRunnerFamily(text, "corral_kv_cache_used_cells", "gauge", "KV cache cells in use per runner.", labels, health, static h => h.KvCellsUsed);
        WriteRunnerFamily(text, "corral_runner_slots", "gauge", "Slots (parallel requests) per runner.", labels, health, static h => h.Slots);
        WriteRunnerFamily(text, "corral_runner_active_slots", "gauge", "Slots busy with a request per runner.", labels, health, static h => h.ActiveSlots);
        WriteRunnerFamily(text, "corral_prefix_cache_hit_tokens_total", "counter", "Prompt tokens reused from the prefix cache per runner (resets when the runner restarts).", labels, health, static h => h.PrefixCacheHitTokens);
        WriteRunnerFamily(text, "corral_shared_prefix_tokens_total", "counter", "Prompt tokens copied from another slot's KV instead of evaluated, per runner.", labels, health, static h => h.SharedPrefixTokens);
        WriteRunnerFamily(text, "corral_prompt_cache_restored_tokens_total", "counter", "Prompt tokens restored from the host-memory prompt cache, per runner.", labels, health, static h => h.PromptCacheRestoredTokens);
        WriteRunnerFamily(text, "corral_prompt_cache_bytes", "gauge", "Host memory held by the prompt cache, per runner.", labels, health, static h => h.PromptCacheBytes);
        WriteRunnerFamily(text, "corral_decode_steps_total", "counter", "llama_decode calls for completions per runner (one step serves every generating slot).", labels, health, static h => h.DecodeSteps);
        WriteRunnerFamily(text, "corral_split_decode_steps_total", "counter", "Decode steps whose sequences were not consecutive, computed by llama.cpp as one graph per consecutive run (slower), per runner.", labels, health, static h => h.SplitDecodeSteps);
        WriteRunnerFamily(text, "corral_draft_tokens_drafted_total", "counter", "Draft-model tokens the model checked (speculative decoding), per runner.", labels, health, static h => h.DraftTokensDrafted);
        WriteRunnerFamily(text, "corral_draft_tokens_accepted_total", "counter", "Draft-model tokens the model agreed with (speculative decoding), per runner.", labels, health, static h => h.DraftTokensAccepted);

        http.Response.ContentType = PrometheusText.ContentType;
        await http.Response.WriteAsync(text.ToString(), http.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteRunnerFamily(StringBuilder text, string name, string type, string help, string[] labels, RunnerHealth?[] health, Func<RunnerHealth, long> value)
    {
        if (!health.Any(h => h is not null))
        {
            return;
        }

        PrometheusText.Family(text, name, type, help);
        for (var i = 0; i < health.Length; i++)
        {
            if (health[i] is { } h)
            {
                PrometheusText.Sample(text, name, labels[i], value(h));
            }
        }
    }

    private static async Task<RunnerHealth?> HealthOrNullAsync(LoadedModel model, CancellationToken cancellation)
    {
        // A busy or dying runner must not stall the scrape; it is left out of this one.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(HealthTimeout);
        try
        {
            return await model.Runner.Client.HealthAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            return null;
        }
    }
}
