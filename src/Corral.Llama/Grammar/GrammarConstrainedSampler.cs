using Corral.Llama.Native;

namespace Corral.Llama.Grammar;

/// <summary>
/// Samples with a grammar without running the grammar over the whole vocabulary on every token:
/// the unconstrained chain picks a token, the grammar checks just that token, and only when it is
/// rejected is the grammar applied to all candidates before the chain samples again (the approach of
/// llama.cpp's common sampler). The output is as constrained as a chain with the grammar first.
/// It is also kept strict UTF-8, which llama.cpp's grammar alone does not ensure (it decodes bytes
/// leniently: lead bytes F5-FF, overlong forms and surrogates pass as characters): a token whose bytes
/// cannot follow the output so far, or end-of-generation inside a character, counts as rejected, and the
/// full pass masks such tokens too (O(1) per token from a per-vocabulary <see cref="Utf8TokenTable"/>).
/// Owns the chain it is given. One per sequence; not thread-safe; no allocation per token.
/// </summary>
public sealed unsafe class GrammarConstrainedSampler : IDisposable
{
    private readonly LlamaSamplerChain _chain;
    private readonly LlamaSamplerChain _grammar;
    private readonly NativeTokenData[] _candidates;
    private readonly Utf8TokenTable _utf8;
    private Utf8SequenceState _utf8State;

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
        _utf8 = Utf8TokenTable.For(vocab);
    }

    /// <summary>Where the output so far stands in UTF-8 (a character boundary unless a token split one).</summary>
    public Utf8SequenceState Utf8State => _utf8State;

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

            if (!IsAllowed(token))
            {
                Resamples++;
                array = Fill(data, logits, count);
                LlamaNative.llama_sampler_apply(_grammar.Handle, &array);
                if (!MaskBrokenUtf8(array))
                {
                    // Nothing the grammar allows keeps UTF-8 valid (a vocabulary without the needed byte
                    // tokens): the grammar alone decides rather than leaving the chain nothing to pick.
                    array = Fill(data, logits, count);
                    LlamaNative.llama_sampler_apply(_grammar.Handle, &array);
                }

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
        if ((uint)token.Value < (uint)_utf8.Count)
        {
            _utf8State = _utf8.After(_utf8State, token.Value);
        }
    }

    /// <summary>Restarts the grammar and forgets the chain's history.</summary>
    public void Reset()
    {
        _grammar.Reset();
        _chain.Reset();
        _utf8State = Utf8SequenceState.Start;
    }

    public void Dispose()
    {
        _grammar.Dispose();
        _chain.Dispose();
    }

    /// <summary>Whether the grammar and UTF-8 both accept <paramref name="token"/> next (the cheap check first).</summary>
    private bool IsAllowed(int token)
    {
        if ((uint)token >= (uint)_utf8.Count || !_utf8.Allows(_utf8State, token))
        {
            return false;
        }

        // The grammar sets a rejected token's logit to -inf.
        var single = new NativeTokenData { id = token, logit = 1f, p = 0f };
        var check = new NativeTokenDataArray { data = &single, size = 1, selected = -1, sorted = false };
        LlamaNative.llama_sampler_apply(_grammar.Handle, &check);
        return !float.IsNegativeInfinity(single.logit);
    }

    /// <summary>Sets the logit of every token that would break UTF-8 to -inf; false when no candidate is left.</summary>
    private bool MaskBrokenUtf8(in NativeTokenDataArray array)
    {
        var left = false;
        for (nuint i = 0; i < array.size; i++)
        {
            ref var candidate = ref array.data[i];
            if (float.IsNegativeInfinity(candidate.logit))
            {
                continue;
            }

            if (_utf8.Allows(_utf8State, candidate.id))
            {
                left = true;
            }
            else
            {
                candidate.logit = float.NegativeInfinity;
            }
        }

        return left;
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
