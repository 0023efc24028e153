using Corral.Bench.Common;
using Corral.Llama;

namespace Corral.Bench.Runner;

/// <summary>
/// The reference: llama.cpp driven directly in-process (<see cref="GreedyWave"/>), one context, the same number of
/// sequences decoded together, greedy sampling — no runner, no server, no protocol.
/// </summary>
internal sealed class PlainLoop(LlamaModel model, int threads, int contextPerSequence, IReadOnlyList<LlamaLogitBias> bans)
{
    public (double TokensPerSecond, double MeanTtftMs) Run(IReadOnlyList<string> prompts, int tokens)
    {
        using var wave = new GreedyWave(model, prompts.Count, contextPerSequence, threads, bans);
        var (ttft, latencyMs) = wave.Run(prompts, tokens);
        return (prompts.Count * tokens / (latencyMs / 1000), ttft.Average());
    }
}
