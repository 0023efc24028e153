using Corral.Llama;
using Corral.Llama.Grammar;

namespace Corral.Runner.Engine.Sampling;

/// <summary>
/// One request's sampler: the plain llama.cpp chain, or the chain wrapped so that a grammar is
/// checked only against the chosen token and applied to the whole vocabulary only when it rejects it.
/// Sampling accepts the chosen token into the sampler state (penalties, grammar) itself.
/// </summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly LlamaSamplerChain? _chain;
    private readonly GrammarConstrainedSampler? _constrained;

    private TokenSampler(LlamaSamplerChain? chain, GrammarConstrainedSampler? constrained)
    {
        _chain = chain;
        _constrained = constrained;
    }

    /// <summary>Builds the chain, shows it the prompt (for repetition penalties), then adds the grammar.</summary>
    public static TokenSampler Create(LlamaModel model, Protocol.SamplingParameters parameters, int contextLength, ReadOnlySpan<LlamaToken> prompt)
    {
        var chain = SamplerFactory.Create(model, parameters, contextLength);
        foreach (var token in prompt)
        {
            if (token.Value >= 0) // negative ids stand for image positions
            {
                chain.Accept(token);
            }
        }

        if (string.IsNullOrEmpty(parameters.Grammar))
        {
            return new TokenSampler(chain, null);
        }

        try
        {
            return new TokenSampler(null, new GrammarConstrainedSampler(chain, model.Vocab, parameters.Grammar));
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }

    public LlamaToken Sample(LlamaContext context, int row) =>
        _constrained is not null ? _constrained.Sample(context, row) : _chain!.Sample(context, row);

    public void Dispose()
    {
        _chain?.Dispose();
        _constrained?.Dispose();
    }
}
