using Corral.Llama;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine.Sampling;

/// <summary>
/// Builds a llama.cpp sampler chain from the request's options, in llama-server's order: dry → top_n_sigma → top_k →
/// typical_p → top_p → min_p → xtc → temperature → seeded draw; or mirostat 1/2 (temperature, mirostat: llama-server
/// runs neither DRY nor XTC there either); or, at temperature 0, greedy. Logit bias and the repeat penalties come
/// before the chain, on the raw logits (<see cref="LogitAdjustments"/>, applied by <see cref="TokenSampler"/>), where
/// llama-server's penalties sampler sits. A grammar is not part of the chain either: <see cref="TokenSampler"/>
/// checks it against the chosen token only.
/// </summary>
internal static class SamplerFactory
{
    /// <summary>llama.cpp's LLAMA_DEFAULT_SEED: draw a random seed.</summary>
    private const uint RandomSeed = 0xFFFFFFFF;

    /// <summary>llama-server's default <c>dry_sequence_breakers</c>.</summary>
    private static readonly string[] DefaultSequenceBreakers = ["\n", ":", "\"", "*"];

    /// <summary>
    /// True when the request picks the largest logit and nothing more: temperature 0 without DRY or XTC. Those two
    /// still apply at temperature 0 (as in llama-server, whose chain runs them before the temperature keeps the
    /// maximum), because they change which token is the most likely rather than how the rest are spread; top_k,
    /// top_p, min_p, typical_p and top_n_sigma are ignored there, as Ollama ignores its own.
    /// </summary>
    public static bool IsPlainGreedy(SamplingParameters p, int contextLength) =>
        p.Temperature <= 0f && !DryIsOn(p, contextLength) && !XtcIsOn(p);

    /// <param name="model">The model sampled from.</param>
    /// <param name="p">The request's sampling settings.</param>
    /// <param name="contextLength">The slot's context: the longest window DRY may scan.</param>
    /// <param name="dry">Where DRY samplers come from ready-made; null builds one for this chain.</param>
    public static LlamaSamplerChain Create(LlamaModel model, SamplingParameters p, int contextLength, DryTemplates? dry = null)
    {
        var chain = new LlamaSamplerChain();
        try
        {
            var vocab = model.Vocab;
            var seed = p.Seed < 0 ? RandomSeed : unchecked((uint)p.Seed);
            if (p.Temperature <= 0f)
            {
                AddDry(chain, vocab, p, contextLength, dry);
                AddXtc(chain, p, seed);
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
                AddDry(chain, vocab, p, contextLength, dry);
                if (p.TopNSigma > 0f)
                {
                    chain.AddTopNSigma(p.TopNSigma);
                }

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

                AddXtc(chain, p, seed);
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

    /// <summary>
    /// How many recent tokens DRY scans, or 0 when it is off: -1 and anything past the slot's context mean the context,
    /// so no request makes llama.cpp allocate its per-position tables larger than the slot.
    /// </summary>
    public static int DryWindow(SamplingParameters p, int contextLength)
    {
        var window = p.DryPenaltyLastN < 0 ? contextLength : Math.Min(p.DryPenaltyLastN, contextLength);
        return p.DryMultiplier > 0f && p.DryBase >= 1f && window > 0 ? window : 0;
    }

    private static bool DryIsOn(SamplingParameters p, int contextLength) => DryWindow(p, contextLength) > 0;

    private static bool XtcIsOn(SamplingParameters p) => p.XtcProbability > 0f && p.XtcThreshold <= 0.5f;

    private static void AddDry(LlamaSamplerChain chain, LlamaVocab vocab, SamplingParameters p, int contextLength, DryTemplates? dry)
    {
        var window = DryWindow(p, contextLength);
        if (window <= 0)
        {
            return;
        }

        var breakers = p.DrySequenceBreakers ?? DefaultSequenceBreakers;
        if (dry is null)
        {
            chain.AddDry(vocab, p.DryMultiplier, p.DryBase, Math.Max(0, p.DryAllowedLength), window, breakers);
        }
        else
        {
            dry.AddTo(chain, p.DryMultiplier, p.DryBase, Math.Max(0, p.DryAllowedLength), window, breakers);
        }
    }

    private static void AddXtc(LlamaSamplerChain chain, SamplingParameters p, uint seed)
    {
        if (XtcIsOn(p))
        {
            chain.AddXtc(p.XtcProbability, p.XtcThreshold, seed, 1);
        }
    }
}
