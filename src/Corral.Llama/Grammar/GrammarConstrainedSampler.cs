using Corral.Llama.Native;

namespace Corral.Llama.Grammar;

/// <summary>
/// Samples with a grammar without running the grammar over the whole vocabulary on every token:
/// the unconstrained chain picks a token, the grammar checks just that token, and only when it is
/// rejected is the grammar applied to all candidates before the chain samples again (the approach of
/// llama.cpp's common sampler). The output is as constrained as a chain with the grammar first.
/// Owns the chain it is given. One per sequence; not thread-safe; no allocation per token.
/// </summary>
public sealed unsafe class GrammarConstrainedSampler : IDisposable
{
    private readonly LlamaSamplerChain _chain;
    private readonly LlamaSamplerChain _grammar;
    private readonly NativeTokenData[] _candidates;

    /// <param name="chain">The sampling chain without a grammar, ending in a selecting sampler (dist, greedy, ...); now owned by this sampler.</param>
    /// <param name="vocab">Vocabulary of the model being sampled.</param>
    /// <param name="gbnf">The grammar (e.g. from <see cref="JsonSchemaGrammar.Convert(System.Text.Json.JsonElement)"/>).</param>
    /// <param name="root">Start rule.</param>
    /// <exception cref="LlamaGrammarException">The grammar does not parse.</exception>
    public GrammarConstrainedSampler(LlamaSamplerChain chain, LlamaVocab vocab, string gbnf, string root = "root")
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(vocab);
        _grammar = new LlamaSamplerChain().AddGrammar(vocab, gbnf, root);
        _chain = chain;
        _candidates = GC.AllocateUninitializedArray<NativeTokenData>(vocab.Count, pinned: true);
    }

    /// <summary>How many tokens needed the full grammar pass since creation (the rest were checked alone).</summary>
    public int Resamples { get; private set; }

    /// <summary>
    /// Samples a grammar-valid token from output <paramref name="batchIndex"/> of the last decode and
    /// accepts it into the chain and the grammar.
    /// </summary>
    public LlamaToken Sample(LlamaContext context, int batchIndex)
    {
        ArgumentNullException.ThrowIfNull(context);
        var logits = context.GetLogits(batchIndex);
        var count = Math.Min(logits.Length, _candidates.Length);
        fixed (NativeTokenData* data = _candidates)
        {
            var array = Fill(data, logits, count);
            LlamaNative.llama_sampler_apply(_chain.Handle, &array);
            var token = SelectedToken(array);

            // Check the chosen token alone: the grammar sets a rejected token's logit to -inf.
            var single = new NativeTokenData { id = token, logit = 1f, p = 0f };
            var check = new NativeTokenDataArray { data = &single, size = 1, selected = -1, sorted = false };
            LlamaNative.llama_sampler_apply(_grammar.Handle, &check);
            if (float.IsNegativeInfinity(single.logit))
            {
                Resamples++;
                array = Fill(data, logits, count);
                LlamaNative.llama_sampler_apply(_grammar.Handle, &array);
                LlamaNative.llama_sampler_apply(_chain.Handle, &array);
                token = SelectedToken(array);
            }

            var chosen = new LlamaToken(token);
            Accept(chosen);
            return chosen;
        }
    }

    /// <summary>Feeds a token to both the chain (penalties) and the grammar, e.g. one forced by the caller.</summary>
    public void Accept(LlamaToken token)
    {
        _grammar.Accept(token);
        _chain.Accept(token);
    }

    /// <summary>Restarts the grammar and forgets the chain's history.</summary>
    public void Reset()
    {
        _grammar.Reset();
        _chain.Reset();
    }

    public void Dispose()
    {
        _grammar.Dispose();
        _chain.Dispose();
    }

    private static NativeTokenDataArray Fill(NativeTokenData* data, ReadOnlySpan<float> logits, int count)
    {
        for (var i = 0; i < count; i++)
        {
            data[i] = new NativeTokenData { id = i, logit = logits[i], p = 0f };
        }

        return new NativeTokenDataArray { data = data, size = (nuint)count, selected = -1, sorted = false };
    }

    private static int SelectedToken(in NativeTokenDataArray array)
    {
        if (array.selected < 0 || (nuint)array.selected >= array.size)
        {
            throw new LlamaException("The sampler chain selected no token: it must end with dist, greedy or mirostat.");
        }

        return array.data[array.selected].id;
    }
}
