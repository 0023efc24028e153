using System.Diagnostics;
using Corral.Llama;

namespace Corral.Bench.Compare;

/// <summary>
/// The ceiling: llama.cpp driven in this process on the same GGUF with the servers' settings (one context of
/// slots × ctx positions, the same batch size, threads and a persistent threadpool), no HTTP, no second process. A
/// level with c clients runs its prompts in waves, one prompt per client: all prefilled together, then decoded
/// together greedily (end of generation banned, as in the requests) until each has its tokens. That is what a
/// server's continuous batching does with c clients whose requests all have the same length, minus everything
/// around llama_decode.
/// </summary>
internal sealed class PlainLlama : IDisposable
{
    private readonly LlamaModel _model;
    private readonly LlamaContext _context;
    private readonly LlamaThreadpool? _threadpool;
    private readonly LlamaBatch _batch;
    private readonly LlamaLogitBias[] _bans;

    public PlainLlama(string modelPath, CompareOptions options, IReadOnlyList<int> bannedTokens)
    {
        _model = LlamaModel.Load(modelPath, new LlamaModelLoadOptions { GpuLayers = options.GpuLayers ?? -1 });
        _context = LlamaContext.Create(_model, new LlamaContextOptions
        {
            ContextSize = options.ContextPerSlot * options.Slots,
            BatchSize = BatchSize,
            UBatchSize = BatchSize,
            SeqMax = options.Slots,
            Threads = options.Threads,
            BatchThreads = options.Threads,
        });
        _threadpool = LlamaThreadpool.TryCreate(options.Threads);
        _threadpool?.AttachTo(_context);
        _batch = new LlamaBatch(BatchSize, 1);
        _bans = bannedTokens.Select(t => new LlamaLogitBias(new LlamaToken(t), float.NegativeInfinity)).ToArray();
    }

    /// <summary>The runner's default n_batch (and llama-server's physical batch).</summary>
    private const int BatchSize = 512;

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
            var (ttft, latency) = Wave(texts, tokens);
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

    /// <summary>One wave: prefill every prompt (in batches of at most n_batch tokens), then decode until each has <paramref name="tokens"/>.</summary>
    private (double[] TtftMs, double LatencyMs) Wave(List<string> texts, int tokens)
    {
        var n = texts.Count;
        _context.ClearMemory();
        var samplers = texts.Select(_ => new LlamaSamplerChain().AddLogitBias(_model.Vocab.Count, _bans).AddGreedy()).ToArray();
        try
        {
            var clock = Stopwatch.StartNew();
            var ttft = new double[n];
            var rows = new int[n];
            var positions = new int[n];
            var next = new LlamaToken[n];

            // Prefill, sampling each sequence's first token from the batch that held its last prompt token.
            _batch.Clear();
            for (var s = 0; s < n; s++)
            {
                var prompt = _model.Vocab.Tokenize(texts[s], addSpecial: true, parseSpecial: false);
                for (var i = 0; i < prompt.Length; i++)
                {
                    if (_batch.Count == _batch.Capacity)
                    {
                        DecodeAndSampleFirst(samplers, rows, next, ttft, clock, s);
                    }

                    var last = i == prompt.Length - 1;
                    var row = _batch.Add(prompt[i], i, new LlamaSeqId(s), logits: last);
                    rows[s] = last ? row : -1;
                }

                positions[s] = prompt.Length;
            }

            DecodeAndSampleFirst(samplers, rows, next, ttft, clock, n);
            for (var step = 1; step < tokens; step++)
            {
                _batch.Clear();
                for (var s = 0; s < n; s++)
                {
                    rows[s] = _batch.Add(next[s], positions[s]++, new LlamaSeqId(s), logits: true);
                }

                _context.Decode(_batch);
                for (var s = 0; s < n; s++)
                {
                    next[s] = samplers[s].Sample(_context, rows[s]);
                }
            }

            return (ttft, clock.Elapsed.TotalMilliseconds);
        }
        finally
        {
            foreach (var sampler in samplers)
            {
                sampler.Dispose();
            }
        }
    }

    /// <summary>Decodes the prefill batch so far and samples the first token of every sequence below <paramref name="upTo"/> that got its logits in it.</summary>
    private void DecodeAndSampleFirst(LlamaSamplerChain[] samplers, int[] rows, LlamaToken[] next, double[] ttft, Stopwatch clock, int upTo)
    {
        _context.Decode(_batch);
        for (var s = 0; s < upTo; s++)
        {
            if (rows[s] >= 0 && ttft[s] == 0)
            {
                next[s] = samplers[s].Sample(_context, rows[s]);
                ttft[s] = clock.Elapsed.TotalMilliseconds;
                rows[s] = -1;
            }
        }

        _batch.Clear();
    }

    public void Dispose()
    {
        _threadpool?.Detach();
        _context.Dispose();
        _threadpool?.Dispose();
        _batch.Dispose();
        _model.Dispose();
    }
}
