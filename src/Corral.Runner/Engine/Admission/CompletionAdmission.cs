using System.Threading.Channels;
using Corral.Llama;
using Corral.Runner.Engine.Sampling;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine.Admission;

/// <summary>
/// Turns a completion request into an <see cref="ActiveCompletion"/> ready for a slot: the prompt's tokens (and image
/// positions), truncation, and the request's sampler. Runs on the request thread, not the engine thread (tokenizer and
/// samplers only read the vocabulary; libmtmd's image preprocessing is thread-safe), so that what the client got
/// wrong is refused before streaming and the engine thread does nothing but batches.
/// </summary>
internal sealed class CompletionAdmission(LlamaModel model, EngineOptions options, MediaPrompts media, Adapters.LoraAdapterSet adapters, DryTemplates dry)
{
    /// <summary>Ollama's runner message, word for word: clients match on it.</summary>
    public const string InputTooLong = "the input length exceeds the context length";

    /// <exception cref="InvalidCompletionException">The request cannot be served as sent (a 400).</exception>
    /// <exception cref="LlamaException">llama.cpp failed (tokenizer, sampler): not the client's doing.</exception>
    public ActiveCompletion Admit(CompletionRequest request, ChannelWriter<CompletionChunk> output, CancellationToken cancellation)
    {
        Llama.Multimodal.MtmdChunks? mediaChunks = null;
        Dictionary<int, MediaSpan>? spans = null;
        var scales = adapters.For(request.LoraScales);
        try
        {
            var prompt = request.Images is { Count: > 0 }
                ? media.BuildPrompt(request, BuildPrompt, out mediaChunks, out spans)
                : BuildPrompt(request);
            var sampler = CreateSampler(request, prompt);
            return new ActiveCompletion(request, prompt, output, cancellation) { Media = spans, MediaChunks = mediaChunks, Sampler = sampler, Scales = scales };
        }
        catch
        {
            mediaChunks?.Dispose();
            throw;
        }
    }

    /// <summary>Text prompt tokens: the given ids, or the prompt tokenized after generate's context; truncated to fit.</summary>
    internal LlamaToken[] BuildPrompt(CompletionRequest request)
    {
        LlamaToken[] tokens;
        if (request.Tokens is { } given)
        {
            tokens = new LlamaToken[given.Length];
            for (var i = 0; i < given.Length; i++)
            {
                tokens[i] = new LlamaToken(given[i]);
            }
        }
        else
        {
            // A continuation of an earlier exchange (generate's `context`) must not get a second BOS.
            var addSpecial = request.PrefixTokens is not { Length: > 0 };
            tokens = LongPrompt(request, addSpecial) ?? model.Vocab.Tokenize(request.Prompt, addSpecial, parseSpecial: true);
            if (request.PrefixTokens is { Length: > 0 } prefix)
            {
                var joined = new LlamaToken[prefix.Length + tokens.Length];
                for (var i = 0; i < prefix.Length; i++)
                {
                    joined[i] = new LlamaToken(prefix[i]);
                }

                tokens.CopyTo(joined, prefix.Length);
                tokens = joined;
            }
        }

        var vocabSize = model.Vocab.Count;
        foreach (var t in tokens)
        {
            if (t.Value < 0 || t.Value >= vocabSize)
            {
                throw new InvalidCompletionException($"invalid token id {t.Value} in context");
            }
        }

        if (tokens.Length == 0)
        {
            // Nothing to condition on: start from BOS so the model has a first position.
            tokens = model.Vocab.Bos is { } bos ? [bos] : throw new InvalidCompletionException("no input provided");
        }

        var limit = options.ContextPerSlot;
        if (tokens.Length >= limit)
        {
            if (!request.Truncate)
            {
                throw new InvalidCompletionException(InputTooLong);
            }

            tokens = TruncatePrompt(tokens, Math.Clamp(request.NumKeep, 0, limit - 1), limit - 1);
        }

        return tokens;
    }

    /// <summary>
    /// For a prompt far longer than the context, only the tokens truncation would keep (or, with truncate off, enough
    /// to know it is too long); null when it is to be tokenized whole.
    /// </summary>
    private LlamaToken[]? LongPrompt(CompletionRequest request, bool addSpecial)
    {
        var limit = options.ContextPerSlot;
        if (!request.Truncate)
        {
            return LongTextTokens.Head(model.Vocab, request.Prompt, limit, addSpecial, parseSpecial: true);
        }

        // The context tokens of generate come first and count towards num_keep.
        var keep = Math.Clamp(request.NumKeep, 0, limit - 1);
        var keepFromText = Math.Max(0, keep - (request.PrefixTokens?.Length ?? 0));
        return LongTextTokens.Ends(model.Vocab, request.Prompt, keepFromText, limit - 1 - keep, addSpecial, parseSpecial: true);
    }

    /// <summary>Keeps the first <paramref name="keep"/> tokens and the newest rest, dropping the oldest in between (Ollama's truncation).</summary>
    internal static LlamaToken[] TruncatePrompt(LlamaToken[] tokens, int keep, int target)
    {
        var tail = target - keep;
        var result = new LlamaToken[target];
        tokens.AsSpan(0, keep).CopyTo(result);
        tokens.AsSpan(tokens.Length - tail).CopyTo(result.AsSpan(keep));
        return result;
    }

    private TokenSampler CreateSampler(CompletionRequest request, LlamaToken[] prompt)
    {
        if (request.Sampling.LogitBias is { Count: > 0 } bias)
        {
            var vocabSize = model.Vocab.Count;
            foreach (var token in bias.Keys)
            {
                if (token < 0 || token >= vocabSize)
                {
                    throw new InvalidCompletionException($"invalid token id {token} in logit_bias");
                }
            }
        }

        try
        {
            return TokenSampler.Create(model, request.Sampling, options.ContextPerSlot, prompt, dry);
        }
        catch (LlamaGrammarException ex)
        {
            throw new InvalidCompletionException($"invalid grammar: {ex.Message}");
        }
    }
}
