using System.Numerics.Tensors;
using Corral.Llama;
using Corral.Runner.Engine.Admission;
using Corral.Runner.Engine.Slots;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine.OneShot;

/// <summary>
/// Embeddings and rerank scores: the inputs of one request are packed as separate sequences into shared batches and
/// each sequence's pooled output is read back (the embedding, or under rank pooling the classifier's scores). Runs on
/// the engine thread; leaves the memory and every slot's cache empty.
/// </summary>
internal sealed class SequencePooling(LlamaModel model, LlamaContext context, LlamaBatch batch, SlotTable slots, EngineOptions options)
{
    private string? _rerankTemplate;
    private bool _rerankTemplateRead;

    public EmbeddingResponse Embed(EmbeddingRequest request)
    {
        if (!options.Embedding)
        {
            throw new InvalidCompletionException("this model does not support embeddings");
        }

        if (context.PoolingType == LlamaPoolingType.Rank)
        {
            throw new InvalidCompletionException("this model is a reranker: it scores (query, document) pairs and has no embeddings");
        }

        var limit = Math.Min(options.ContextPerSlot, batch.Capacity);
        var inputs = new LlamaToken[request.Inputs.Length][];
        var total = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            // A huge input keeps only its head (or is refused), so only the head is tokenized.
            var tokens = Admission.LongTextTokens.Head(model.Vocab, request.Inputs[i], limit, addSpecial: true, parseSpecial: false)
                ?? model.Vocab.Tokenize(request.Inputs[i], addSpecial: true, parseSpecial: false);
            if (tokens.Length > limit)
            {
                if (!request.Truncate)
                {
                    // Ollama's exact words (as for a prompt), which clients match on; no counts.
                    throw new InvalidCompletionException(CompletionAdmission.InputTooLong);
                }

                tokens = tokens[..limit];
            }

            inputs[i] = tokens;
            total += tokens.Length;
        }

        var vectors = PoolSequences(inputs);
        if (request.Normalize)
        {
            foreach (var vector in vectors)
            {
                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(vector, norm, vector);
                }
            }
        }

        return new EmbeddingResponse { Embeddings = vectors, PromptEvalCount = total };
    }

    /// <summary>
    /// Evaluates each input as its own sequence, packing as many whole inputs into one batch as fit
    /// (at most one per slot), and returns each sequence's pooled output: the embedding, or under
    /// rank pooling the classifier's scores. Leaves the memory and every slot's cache empty.
    /// </summary>
    private float[][] PoolSequences(LlamaToken[][] inputs)
    {
        var pooled = new float[inputs.Length][];
        var next = 0;
        while (next < inputs.Length)
        {
            batch.Clear();
            context.ClearMemory();
            var first = next;
            while (next < inputs.Length && next - first < slots.Count && batch.Count + inputs[next].Length <= batch.Capacity)
            {
                var seq = new LlamaSeqId(next - first);
                var tokens = inputs[next];
                for (var p = 0; p < tokens.Length; p++)
                {
                    batch.Add(tokens[p], p, seq, logits: true);
                }

                next++;
            }

            context.Decode(batch);
            for (var i = first; i < next; i++)
            {
                pooled[i] = context.GetSequenceEmbeddings(new LlamaSeqId(i - first)).ToArray();
            }
        }

        context.ClearMemory();
        slots.ForgetAll();

        return pooled;
    }

    public RerankResponse Rerank(RerankRequest request)
    {
        if (!options.Embedding || context.PoolingType != LlamaPoolingType.Rank)
        {
            throw new InvalidCompletionException("this model does not support reranking");
        }

        // Each distinct document is scored once, and the distinct documents are packed in ordinal
        // order, not request order. ggml's CPU kernels pick their reduction order by the batch's shape
        // (attention sums run over every cell of the batch; a one-sequence head is a mat-vec, several a
        // gemm), so a pair's score moves in the last bits with its place and neighbours in the batch.
        // A canonical order makes the batches depend only on the set of documents: reordering the
        // documents of a request gives every document exactly the same score.
        var distinct = request.Documents.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var limit = Math.Min(options.ContextPerSlot, batch.Capacity);
        var pairs = new LlamaToken[distinct.Length][];
        var place = new Dictionary<string, int>(distinct.Length, StringComparer.Ordinal);
        for (var i = 0; i < pairs.Length; i++)
        {
            var tokens = PairTokens(request.Query, distinct[i]);
            if (tokens.Length > limit)
            {
                if (!request.Truncate)
                {
                    throw new InvalidCompletionException($"the input length ({tokens.Length} tokens) exceeds the context length ({limit} tokens)");
                }

                // The tail is the document's end (and the closing separator): the query survives.
                tokens = tokens[..limit];
            }

            pairs[i] = tokens.Length > 0 ? tokens : throw new InvalidCompletionException("the query and document are both empty");
            place[distinct[i]] = i;
        }

        var pooled = PoolSequences(pairs);
        var scores = new float[request.Documents.Length];
        var total = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            // The first classifier output is the relevance logit (one-label heads have only that).
            var at = place[request.Documents[i]];
            scores[i] = pooled[at][0];
            total += pairs[at].Length;
        }

        return new RerankResponse { Scores = scores, PromptEvalCount = total };
    }

    /// <summary>
    /// One (query, document) pair as llama.cpp's server forms it: the GGUF's rerank template
    /// (<c>tokenizer.chat_template.rerank</c>, with {query} and {document} substituted, special tokens
    /// parsed) when it has one, else BOS? query EOS? SEP? document EOS? by the vocabulary's add_* flags,
    /// EOS falling back to SEP.
    /// </summary>
    private LlamaToken[] PairTokens(string query, string document)
    {
        if (!_rerankTemplateRead)
        {
            _rerankTemplate = model.GetChatTemplate("rerank");
            _rerankTemplateRead = true;
        }

        var vocab = model.Vocab;
        if (_rerankTemplate is { } template)
        {
            var prompt = template.Replace("{query}", query, StringComparison.Ordinal).Replace("{document}", document, StringComparison.Ordinal);
            return vocab.Tokenize(prompt, addSpecial: false, parseSpecial: true);
        }

        var queryTokens = vocab.Tokenize(query, addSpecial: false, parseSpecial: false);
        var documentTokens = vocab.Tokenize(document, addSpecial: false, parseSpecial: false);
        var eos = vocab.Eos ?? vocab.Sep;
        var tokens = new List<LlamaToken>(queryTokens.Length + documentTokens.Length + 4);
        if (vocab.AddBos && vocab.Bos is { } bos)
        {
            tokens.Add(bos);
        }

        tokens.AddRange(queryTokens);
        if (vocab.AddEos && eos is { } end)
        {
            tokens.Add(end);
        }

        if (vocab.AddSep && vocab.Sep is { } sep)
        {
            tokens.Add(sep);
        }

        tokens.AddRange(documentTokens);
        if (vocab.AddEos && eos is { } last)
        {
            tokens.Add(last);
        }

        return [.. tokens];
    }
}
