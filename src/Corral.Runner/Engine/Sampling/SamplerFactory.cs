using Corral.Llama;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine.Sampling;

/// <summary>
/// Builds a llama.cpp sampler chain from Ollama's options: greedy (temperature 0), mirostat, or the
/// top_k → typical_p → top_p → min_p → temperature → seeded draw pipeline. Logit bias and penalties come before it, on
/// the raw logits (<see cref="LogitAdjustments"/>, applied by <see cref="TokenSampler"/>). A grammar is not part of the
/// chain either: <see cref="TokenSampler"/> checks it against the chosen token only.
/// </summary>
internal static class SamplerFactory
{
    /// <summary>llama.cpp's LLAMA_DEFAULT_SEED: draw a random seed.</summary>
    private const uint RandomSeed = 0xFFFFFFFF;

    public static LlamaSamplerChain Create(LlamaModel model, SamplingParameters p)
    {
        var chain = new LlamaSamplerChain();
        try
        {
            var vocab = model.Vocab;
            var seed = p.Seed < 0 ? RandomSeed : unchecked((uint)p.Seed);
            if (p.Temperature <= 0f)
            {
                chain.AddGreedy();
            }
            else if (p.Mirostat == 1)
            {
                chain.AddTemperature(p.Temperature);
                chain.AddMirostat(vocab.Count, seed, p.MirostatTau, p.MirostatEta, 100);
            }
            else if (p.Mirostat == 2)
            {
                chain.AddTemperature(p.Temperature);
                chain.AddMirostatV2(seed, p.MirostatTau, p.MirostatEta);
            }
            else
            {
                if (p.TopK > 0)
                {
                    chain.AddTopK(p.TopK);
                }

                if (p.TypicalP is > 0f and < 1f)
                {
                    chain.AddTypical(p.TypicalP, 1);
                }

                if (p.TopP is > 0f and < 1f)
                {
                    chain.AddTopP(p.TopP, 1);
                }

                if (p.MinP is > 0f and <= 1f)
                {
                    chain.AddMinP(p.MinP, 1);
                }

                chain.AddTemperature(p.Temperature);
                chain.AddDist(seed);
            }

            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }
}
