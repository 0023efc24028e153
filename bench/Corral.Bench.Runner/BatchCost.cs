using System.Diagnostics;
using Corral.Llama;

namespace Corral.Bench.Runner;

/// <summary>
/// What one llama_decode of the speculative bench's target costs for the batch shapes speculative decoding makes:
/// sequences × (pending token + drafts). Explains the table: drafting pays only where a wider batch costs little more.
/// </summary>
internal static class BatchCost
{
    public static void Print(string modelPath, int threads)
    {
        LlamaBackend.EnsureInitialized();
        using var model = LlamaModel.Load(modelPath);
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextSize = 2048, SeqMax = 4, BatchSize = 512, UBatchSize = 512, Threads = threads, BatchThreads = threads });
        using var batch = new LlamaBatch(512, 1);
        const int Prompt = 32;
        for (var s = 0; s < 4; s++)
        {
            batch.Clear();
            for (var p = 0; p < Prompt; p++)
            {
                batch.Add(new LlamaToken('0' + (p % 10)), p, new LlamaSeqId(s), logits: false);
            }

            context.Decode(batch);
        }

        Console.WriteLine();
        Console.WriteLine("| sequences × tokens | ms per decode |");
        Console.WriteLine("| --- | --- |");
        foreach (var (sequences, tokens) in new[] { (1, 1), (1, 5), (4, 1), (4, 5) })
        {
            var best = double.MaxValue;
            for (var round = 0; round < 5; round++)
            {
                batch.Clear();
                for (var s = 0; s < sequences; s++)
                {
                    for (var t = 0; t < tokens; t++)
                    {
                        batch.Add(new LlamaToken('0' + t), Prompt + t, new LlamaSeqId(s), logits: true);
                    }
                }

                var clock = Stopwatch.StartNew();
                context.Decode(batch);
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
                for (var s = 0; s < sequences; s++)
                {
                    context.SeqRemove(new LlamaSeqId(s), Prompt, -1);
                }
            }

            Console.WriteLine($"| {sequences} × {tokens} | {best:0.0} |");
        }
    }
}
