using System.Diagnostics;
using System.Diagnostics.Metrics;
using Corral.Runner.Protocol;

namespace Corral.Server.Observability;

/// <summary>
/// Corral's instruments on <see cref="System.Diagnostics.Metrics"/>. Names are already Prometheus
/// names, so <see cref="MetricsCollector"/> writes them unchanged. Recorded once per request or
/// completion, never per token.
/// </summary>
public static class ServerMetrics
{
    public const string MeterName = "Corral.Server";

    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    private static readonly double[] RateBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];

    public static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> HttpRequests = Meter.CreateCounter<long>(
        "corral_http_requests_total", null, "HTTP requests by route pattern, method and status.");

    internal static readonly Histogram<double> HttpDuration = Meter.CreateHistogram<double>(
        "corral_http_request_duration_seconds", "s", "HTTP request duration by route pattern and method.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    internal static readonly Counter<long> Rejected = Meter.CreateCounter<long>(
        "corral_requests_rejected_total", null, "Requests refused with 503 (queue full).");

    internal static readonly Histogram<double> TimeToFirstToken = Meter.CreateHistogram<double>(
        "corral_time_to_first_token_seconds", "s", "From request arrival to the runner's first output, per model.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    internal static readonly Histogram<double> TokensPerSecond = Meter.CreateHistogram<double>(
        "corral_tokens_per_second", null, "Generation speed (eval_count / eval_duration) per completion, per model.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RateBuckets });

    internal static readonly Counter<long> PromptTokens = Meter.CreateCounter<long>(
        "corral_prompt_tokens_total", null, "Prompt tokens evaluated, per model.");

    internal static readonly Counter<long> GeneratedTokens = Meter.CreateCounter<long>(
        "corral_generated_tokens_total", null, "Tokens generated, per model.");

    /// <summary>
    /// Records a finished completion: token counters, time to first token and speed, and the
    /// current request's log fields. Called once per completion, where the runner's final chunk
    /// arrives (every API surface streams through that one place).
    /// </summary>
    /// <param name="done">The runner's final chunk, with its counts and timings.</param>
    /// <param name="model">The model's display name; models are resolved from the store, so the label set stays bounded.</param>
    /// <param name="started">Stopwatch timestamp of the request's arrival.</param>
    /// <param name="firstOutput">Stopwatch timestamp of the runner's first chunk (0 if none came).</param>
    public static void RecordCompletion(string model, long started, long firstOutput, CompletionChunk done)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        PromptTokens.Add(done.PromptEvalCount - done.CachedTokens, tag);
        GeneratedTokens.Add(done.EvalCount, tag);
        if (firstOutput > started && started > 0)
        {
            TimeToFirstToken.Record(Stopwatch.GetElapsedTime(started, firstOutput).TotalSeconds, tag);
        }

        if (done.EvalCount > 0 && done.EvalDuration > 0)
        {
            TokensPerSecond.Record(done.EvalCount / (done.EvalDuration / 1e9), tag);
        }

        RequestObservation.Current?.AddCompletion(model, done.PromptEvalCount, done.EvalCount);
    }

    /// <summary>
    /// Records an embedding (or rerank) batch: its prompt tokens count like a completion's, with no
    /// generated tokens, so <c>corral_prompt_tokens_total</c> covers every token a model evaluated.
    /// </summary>
    public static void RecordEmbedding(string model, int promptTokens)
    {
        PromptTokens.Add(promptTokens, new KeyValuePair<string, object?>("model", model));
        RequestObservation.Current?.AddCompletion(model, promptTokens, 0);
    }
}
