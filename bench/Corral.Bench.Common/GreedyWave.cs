using System.Diagnostics;
using Corral.Llama;

namespace Corral.Bench.Common;

/// <summary>
/// llama.cpp driven in the bench's own process, the reference the servers are measured against: one context of
/// <c>sequences × contextPerSequence</c> positions with a persistent threadpool (as the runner and llama-server
/// attach one), a wave of prompts prefilled together in batches of at most n_batch tokens, then decoded together
/// greedily (the given tokens banned) until each has its tokens. No HTTP, no second process: nothing around
/// llama_decode.
/// </summary>
public sealed class GreedyWave : IDisposable
{
    /// <summary>The runner's default n_batch (and llama-server's physical batch).</summary>
    public const int BatchSize = 512;

    private readonly LlamaModel _model;
    private readonly LlamaContext _context;
    private readonly LlamaThreadpool? _threadpool;
    private readonly LlamaBatch _batch;
    private readonly LlamaLogitBias[] _bans;

    /// <param name="model">The loaded model (the caller's; not disposed here).</param>
    /// <param name="sequences">The most prompts one wave holds.</param>
    /// <param name="contextPerSequence">Positions per sequence.</param>
    /// <param name="threads">Compute threads, for single tokens and batches alike.</param>
    /// <param name="bans">Tokens never sampled (end of generation, so every sequence gets its tokens).</param>
    public GreedyWave(LlamaModel model, int sequences, int contextPerSequence, int threads, IReadOnlyList<LlamaLogitBias> bans)
    {
        _model = model;
        _context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextSize = contextPerSequence * sequences,
            BatchSize = BatchSize,
            UBatchSize = BatchSize,
            SeqMax = sequences,
            Threads = threads,
            BatchThreads = threads,
        });
        _threadpool = LlamaThreadpool.TryCreate(threads);
        _threadpool?.AttachTo(_context);
        _batch = new LlamaBatch(BatchSize, 1);
        _bans = [.. bans];
    }

    /// <summary>Runs one wave from an empty context: each prompt's time to its first token, and the wave's wall time.</summary>
    /// <param name="texts">The prompts, one per sequence.</param>
    /// <param name="tokens">Tokens generated for each.</param>
    public (double[] TtftMs, double LatencyMs) Run(IReadOnlyList<string> texts, int tokens)
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
    }
}
