using System.Diagnostics;

namespace Corral.Bench.Compare;

/// <summary>The three loads of issue 22; each runs one round against one server and returns its figures.</summary>
internal static class Scenarios
{
    /// <summary>
    /// <paramref name="prompts"/>.Count clients, each sending its prompts one after another (a closed loop):
    /// aggregate completion tokens per second of wall time, TTFT and request latency over all requests.
    /// </summary>
    public static async Task<IReadOnlyList<(string Metric, double Value)>> ClientsAsync(Target target, IReadOnlyList<IReadOnlyList<string>> prompts, int tokens, CancellationToken cancellation)
    {
        var cpuBefore = target.Cpu.Read();
        var ownBefore = ProcessCpu.Own();
        var clock = Stopwatch.StartNew();
        var perClient = await Task.WhenAll(prompts.Select(async list =>
        {
            var results = new List<RequestResult>();
            foreach (var prompt in list)
            {
                results.Add(await target.Completions.StreamAsync(prompt, tokens, cancellation).ConfigureAwait(false));
            }

            return results;
        })).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = CpuProbe.Figures(cpuBefore, target.Cpu.Read(), ProcessCpu.Own() - ownBefore, perClient.Sum(r => r.Sum(x => x.CompletionTokens)), seconds);
        var all = perClient.SelectMany(r => r).ToList();
        CheckLength(target, all, tokens);
        return
        [
            ("aggregate tok/s", all.Sum(r => r.CompletionTokens) / seconds),
            ("TTFT mean ms", all.Average(r => r.TtftMs)),
            ("TTFT p95 ms", Statistics.Quantile(all.Select(r => r.TtftMs), 0.95)),
            ("latency p50 ms", Statistics.Median(all.Select(r => r.LatencyMs))),
            ("latency p95 ms", Statistics.Quantile(all.Select(r => r.LatencyMs), 0.95)),
            .. cpu,
        ];
    }

    /// <summary>
    /// For each prefix: a cold request (the prefix and a tail, never seen), then a request with the same prefix and
    /// another tail, whose prefix the server should find in its cache; then a long request with that prefix, and once
    /// it is generating, a second client's request with the same prefix: the prefix is only in a busy slot now (a
    /// second user with the same long system prompt). Mean TTFT of each kind.
    /// </summary>
    public static async Task<IReadOnlyList<(string Metric, double Value)>> PrefixAsync(Target target, IReadOnlyList<PrefixPrompts> sets, int tokens, int longTokens, CancellationToken cancellation)
    {
        var cold = new List<RequestResult>();
        var hit = new List<RequestResult>();
        var during = new List<RequestResult>();
        foreach (var set in sets)
        {
            cold.Add(await target.Completions.StreamAsync(set.Cold, tokens, cancellation).ConfigureAwait(false));
            hit.Add(await target.Completions.StreamAsync(set.Hit, tokens, cancellation).ConfigureAwait(false));
            var generating = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var busy = target.Completions.StreamAsync(set.Long, longTokens, cancellation, generating);
            await Task.WhenAny(generating.Task, busy).ConfigureAwait(false);
            during.Add(await target.Completions.StreamAsync(set.During, tokens, cancellation).ConfigureAwait(false));
            await busy.ConfigureAwait(false);
            Console.Error.WriteLine($"    {target.Name}: cold {cold[^1].TtftMs:0} ms, cached {hit[^1].TtftMs:0} ms, prefix in a busy slot {during[^1].TtftMs:0} ms");
        }

        List<(string, double)> figures =
        [
            ("TTFT cold prompt ms", cold.Average(r => r.TtftMs)),
            ("TTFT cached prefix ms", hit.Average(r => r.TtftMs)),
            ("cold / cached TTFT", cold.Average(r => r.TtftMs) / hit.Average(r => r.TtftMs)),
            ("TTFT prefix in a busy slot ms", during.Average(r => r.TtftMs)),
        ];
        if (hit.All(r => r.CachedTokens is not null))
        {
            // Both servers report usage.prompt_tokens_details.cached_tokens.
            figures.Add(("cached tokens (usage)", hit.Average(r => r.CachedTokens!.Value)));
        }

        return figures;
    }

    /// <summary>
    /// Streaming completion clients (each its prompts one after another) and as many embedding clients looping
    /// <c>/v1/embeddings</c> on the other model until every completion is done, all against one server.
    /// </summary>
    public static async Task<IReadOnlyList<(string Metric, double Value)>> MixedAsync(
        Target target, IReadOnlyList<IReadOnlyList<string>> prompts, IReadOnlyList<string> embeddingInputs, int tokens, CancellationToken cancellation)
    {
        var embedder = target.Embeddings ?? throw new InvalidOperationException($"{target.Name} has no embedding model");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var next = -1;
        var embedded = 0;
        var clock = Stopwatch.StartNew();
        var embedding = Enumerable.Range(0, prompts.Count).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                var input = embeddingInputs[(int)((uint)Interlocked.Increment(ref next) % (uint)embeddingInputs.Count)];
                try
                {
                    await embedder.EmbedAsync(input, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }

                Interlocked.Increment(ref embedded);
            }
        }).ToList();
        List<RequestResult> all;
        double seconds;
        try
        {
            var perClient = await Task.WhenAll(prompts.Select(async list =>
            {
                var results = new List<RequestResult>();
                foreach (var prompt in list)
                {
                    results.Add(await target.Completions.StreamAsync(prompt, tokens, cancellation).ConfigureAwait(false));
                }

                return results;
            })).ConfigureAwait(false);
            seconds = clock.Elapsed.TotalSeconds;
            all = perClient.SelectMany(r => r).ToList();
        }
        finally
        {
            // Embeddings still in flight when the last completion ends are abandoned, not counted.
            var counted = Volatile.Read(ref embedded);
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(embedding).ConfigureAwait(false);
            embedded = counted;
        }

        CheckLength(target, all, tokens);
        return
        [
            ("completion tok/s", all.Sum(r => r.CompletionTokens) / seconds),
            ("TTFT mean ms", all.Average(r => r.TtftMs)),
            ("TTFT p95 ms", Statistics.Quantile(all.Select(r => r.TtftMs), 0.95)),
            ("latency p50 ms", Statistics.Median(all.Select(r => r.LatencyMs))),
            ("embeddings/s", embedded / seconds),
        ];
    }

    private static void CheckLength(Target target, List<RequestResult> results, int tokens)
    {
        var off = results.Count(r => r.CompletionTokens != tokens);
        if (off > 0)
        {
            Console.Error.WriteLine($"  warning: {off} of {results.Count} {target.Name} streams did not produce exactly {tokens} tokens");
        }
    }
}
