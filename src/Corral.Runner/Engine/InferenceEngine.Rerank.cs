using System.Collections.Concurrent;
using Corral.Llama;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine;

public sealed partial class InferenceEngine
{
    private readonly ConcurrentQueue<PendingRerank> _reranks = new();
    private string? _rerankTemplate;
    private bool _rerankTemplateRead;

    /// <summary>Scores documents against a query (reranker models: rank pooling); the pairs are evaluated together as separate sequences.</summary>
    public Task<RerankResponse> RerankAsync(RerankRequest request, CancellationToken cancellation)
    {
        var pending = new PendingRerank(request, cancellation);
        _reranks.Enqueue(pending);
        _wake.Release();
        return pending.Completion.Task;
    }

    /// <summary>Runs queued rerank requests on the inference thread.</summary>
    private void ServeReranks()
    {
        while (_reranks.TryDequeue(out var pending))
        {
            if (pending.Cancellation.IsCancellationRequested)
            {
                pending.Completion.TrySetCanceled(pending.Cancellation);
                continue;
            }

            try
            {
                pending.Completion.TrySetResult(Rerank(pending.Request));
            }
            catch (InvalidCompletionException ex)
            {
                pending.Completion.TrySetResult(new RerankResponse { Error = ex.Message, Refused = true });
            }
            catch (Exception ex) when (ex is LlamaException or ArgumentException)
            {
                pending.Completion.TrySetResult(new RerankResponse { Error = ex.Message });
            }
        }
    }

    private RerankResponse Rerank(RerankRequest request)
    {
        if (!_options.Embedding || _context.PoolingType != LlamaPoolingType.Rank)
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
        var limit = Math.Min(_options.ContextPerSlot, _batch.Capacity);
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
    internal LlamaToken[] PairTokens(string query, string document)
    {
        if (!_rerankTemplateRead)
        {
            _rerankTemplate = _model.GetChatTemplate("rerank");
            _rerankTemplateRead = true;
        }

        var vocab = _model.Vocab;
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
