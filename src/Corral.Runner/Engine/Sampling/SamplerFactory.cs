using Corral.Llama;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine.Sampling;

/// <summary>
/// Builds a llama.cpp sampler chain from Ollama's options, in the order Ollama's
/// runner applies them: penalties and logit bias on the raw logits, then either greedy (temperature 0), mirostat, or the
/// top_k → typical_p → top_p → min_p → temperature → seeded draw pipeline. A grammar is not part
/// of the chain: <see cref="TokenSampler"/> checks it against the chosen token only.
/// </summary>
internal static class SamplerFactory
{
    /// <summary>llama.cpp's LLAMA_DEFAULT_SEED: draw a random seed.</summary>
    private const uint RandomSeed = 0xFFFFFFFF;

    public static LlamaSamplerChain Create(LlamaModel model, SamplingParameters p, int contextLength)
    {
        var chain = new LlamaSamplerChain();
        try
        {
            var vocab = model.Vocab;
            if (p.LogitBias is { Count: > 0 })
            {
                var biases = p.LogitBias.Select(kv => new LlamaLogitBias(new LlamaToken(kv.Key), kv.Value)).ToArray();
                chain.AddLogitBias(vocab.Count, biases);
            }

            if (p.RepeatLastN != 0 && (p.RepeatPenalty != 1.0f || p.FrequencyPenalty != 0f || p.PresencePenalty != 0f))
            {
                chain.AddPenalties(p.RepeatLastN < 0 ? contextLength : p.RepeatLastN, p.RepeatPenalty, p.FrequencyPenalty, p.PresencePenalty);
            }

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
