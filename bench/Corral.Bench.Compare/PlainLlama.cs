using System.Diagnostics;
using Corral.Bench.Common;
using Corral.Llama;

namespace Corral.Bench.Compare;

/// <summary>
/// The ceiling: llama.cpp driven in this process on the same GGUF with the servers' settings (one context of
/// slots × ctx positions, the same batch size, threads and a persistent threadpool: <see cref="GreedyWave"/>), no
/// HTTP, no second process. A level with c clients runs its prompts in waves, one prompt per client: all prefilled
/// together, then decoded together greedily (end of generation banned, as in the requests) until each has its
/// tokens. That is what a server's continuous batching does with c clients whose requests all have the same length,
/// minus everything around llama_decode.
/// </summary>
internal sealed class PlainLlama : IDisposable
{
    private readonly LlamaModel _model;
    private readonly GreedyWave _wave;

    public PlainLlama(string modelPath, CompareOptions options, IReadOnlyList<int> bannedTokens)
    {
        _model = LlamaModel.Load(modelPath, new LlamaModelLoadOptions { GpuLayers = options.GpuLayers ?? -1 });
        var bans = bannedTokens.Select(t => new LlamaLogitBias(new LlamaToken(t), float.NegativeInfinity)).ToArray();
        _wave = new GreedyWave(_model, options.Slots, options.ContextPerSlot, options.Threads, bans);
    }

    /// <summary>
    /// Runs the level: <paramref name="prompts"/> holds each client's prompts; wave r takes every client's r-th.
    /// Figures named as the HTTP scenarios name them, plus the CPU this process used per 1,000 tokens.
    /// </summary>
    public IReadOnlyList<(string Metric, double Value)> Run(IReadOnlyList<IReadOnlyList<string>> prompts, int tokens)
    {
        var ttfts = new List<double>();
        var latencies = new List<double>();
        var generated = 0;
        var cpuBefore = ProcessCpu.Own();
        var clock = Stopwatch.StartNew();
        for (var wave = 0; wave < prompts.Max(p => p.Count); wave++)
        {
            var texts = prompts.Where(p => wave < p.Count).Select(p => p[wave]).ToList();
            var (ttft, latency) = _wave.Run(texts, tokens);
            ttfts.AddRange(ttft);
            latencies.AddRange(Enumerable.Repeat(latency, texts.Count));
            generated += texts.Count * tokens;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = ProcessCpu.Own() - cpuBefore;
        return
        [
            ("aggregate tok/s", generated / seconds),
            ("TTFT mean ms", ttfts.Average()),
            ("TTFT p95 ms", Statistics.Quantile(ttfts, 0.95)),
            ("latency p50 ms", Statistics.Median(latencies)),
            ("latency p95 ms", Statistics.Quantile(latencies, 0.95)),
            ("CPU ms / 1k tokens: server processes", cpu * 1e6 / generated),
            ("cores busy: server processes", cpu / seconds),
        ];
    }

    public void Dispose()
    {
        _wave.Dispose();
        _model.Dispose();
    }
}
