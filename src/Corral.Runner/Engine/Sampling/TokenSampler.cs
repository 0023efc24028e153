using System.Numerics.Tensors;
using Corral.Llama;
using Corral.Llama.Grammar;

namespace Corral.Runner.Engine.Sampling;

/// <summary>
/// One request's sampler: logit bias and penalties applied in place (<see cref="LogitAdjustments"/>), then the plain
/// llama.cpp chain, or the chain wrapped so that a grammar is checked only against the chosen token and applied to the
/// whole vocabulary only when it rejects it. Greedy decoding without a grammar, DRY or XTC needs no chain at all: the first
/// largest logit, found with a vectorised scan, is what llama.cpp's greedy sampler picks, without building its
/// n_vocab candidate array each token. Sampling accepts the chosen token into every state (penalty window,
/// grammar, mirostat) itself.
/// </summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly LlamaSamplerChain? _chain;
    private readonly GrammarConstrainedSampler? _constrained;
    private readonly LogitAdjustments? _adjustments;

    private TokenSampler(LlamaSamplerChain? chain, GrammarConstrainedSampler? constrained, LogitAdjustments? adjustments)
    {
        _chain = chain;
        _constrained = constrained;
        _adjustments = adjustments;
    }

    /// <summary>Builds the chain and the adjustments, shows the penalty windows (and DRY's) the prompt, then adds the grammar.</summary>
    /// <param name="model">The model sampled from.</param>
    /// <param name="parameters">The request's sampling settings.</param>
    /// <param name="contextLength">The slot's context length.</param>
    /// <param name="prompt">The prompt's tokens (the penalty windows start with them).</param>
    /// <param name="dry">DRY samplers ready-made for this model; null builds one.</param>
    public static TokenSampler Create(LlamaModel model, Protocol.SamplingParameters parameters, int contextLength, ReadOnlySpan<LlamaToken> prompt, DryTemplates? dry = null)
    {
        var adjustments = LogitAdjustments.Create(parameters, contextLength);
        if (adjustments is not null)
        {
            foreach (var token in prompt)
            {
                adjustments.Accept(token); // image positions (negative ids) are skipped
            }
        }

        if (SamplerFactory.IsPlainGreedy(parameters, contextLength) && string.IsNullOrEmpty(parameters.Grammar))
        {
            return new TokenSampler(null, null, adjustments);
        }

        var chain = SamplerFactory.Create(model, parameters, contextLength, dry);

        // DRY finds repeats of the prompt too, as in llama-server; only its window's worth can matter. The chain's other
        // samplers keep no history, so they are not fed tokens they would ignore.
        var dryWindow = SamplerFactory.DryWindow(parameters, contextLength);
        if (dryWindow > 0)
        {
            foreach (var token in prompt[Math.Max(0, prompt.Length - dryWindow)..])
            {
                if (token.Value >= 0)
                {
                    chain.Accept(token);
                }
            }
        }

        if (string.IsNullOrEmpty(parameters.Grammar))
        {
            return new TokenSampler(chain, null, adjustments);
        }

        try
        {
            return new TokenSampler(null, new GrammarConstrainedSampler(chain, model.Vocab, parameters.Grammar), adjustments);
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }

    /// <summary>Samples from output <paramref name="row"/> of the last decode. Changes that row's logits in place.</summary>
    public LlamaToken Sample(LlamaContext context, int row)
    {
        LlamaToken token;
        if (_chain is null && _constrained is null)
        {
            var logits = context.GetLogitsForUpdate(row);
            _adjustments?.Apply(logits);
            token = new LlamaToken(TensorPrimitives.IndexOfMax<float>(logits)); // the first of equal maxima, as llama.cpp's greedy
        }
        else
        {
            _adjustments?.Apply(context.GetLogitsForUpdate(row));
            token = _constrained is not null ? _constrained.Sample(context, row) : _chain!.Sample(context, row);
        }

        _adjustments?.Accept(token);
        return token;
    }

    public void Dispose()
    {
        _chain?.Dispose();
        _constrained?.Dispose();
    }
}
