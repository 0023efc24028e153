using System.Diagnostics;
using Corral.Llama;

namespace Corral.Bench.Runner;

/// <summary>
/// The reference: llama.cpp driven directly in-process, one context, the same number of sequences
/// decoded together, greedy sampling — no runner, no server, no protocol.
/// </summary>
internal sealed class PlainLoop(LlamaModel model, int threads, int contextPerSequence, IReadOnlyList<LlamaLogitBias> bans)
{
    public (double TokensPerSecond, double MeanTtftMs) Run(IReadOnlyList<string> prompts, int tokens)
    {
        var n = prompts.Count;
        using var context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextSize = contextPerSequence * n,
            BatchSize = 512,
            UBatchSize = 512,
            SeqMax = n,
            Threads = threads,
            BatchThreads = threads,
        });
        using var batch = new LlamaBatch(512, 1);
        var samplers = Enumerable.Range(0, n).Select(_ => new LlamaSamplerChain().AddLogitBias(model.Vocab.Count, bans.ToArray()).AddGreedy()).ToArray();
        var positions = new int[n];
        var rows = new int[n];
        var next = new LlamaToken[n];
        var ttft = new double[n];
        var clock = Stopwatch.StartNew();

        // Prefill: all prompts in one batch (they fit: ~30 tokens each).
        for (var s = 0; s < n; s++)
        {
            var prompt = model.Vocab.Tokenize(prompts[s], addSpecial: true, parseSpecial: false);
            for (var i = 0; i < prompt.Length; i++)
            {
                var row = batch.Add(prompt[i], i, new LlamaSeqId(s), logits: i == prompt.Length - 1);
                if (i == prompt.Length - 1)
                {
                    rows[s] = row;
                }
            }

            positions[s] = prompt.Length;
        }

        context.Decode(batch);
        for (var step = 0; step < tokens; step++)
        {
            for (var s = 0; s < n; s++)
            {
                next[s] = samplers[s].Sample(context, rows[s]);
                if (step == 0)
                {
                    ttft[s] = clock.Elapsed.TotalMilliseconds;
                }
            }

            if (step == tokens - 1)
            {
                break;
            }

            batch.Clear();
            for (var s = 0; s < n; s++)
            {
                rows[s] = batch.Add(next[s], positions[s]++, new LlamaSeqId(s), logits: true);
            }

            context.Decode(batch);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var sampler in samplers)
        {
            sampler.Dispose();
        }

        return (n * tokens / seconds, ttft.Average());
    }
}
