using System.Numerics.Tensors;
using Corral.Llama;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine;

public sealed partial class InferenceEngine
{
    /// <summary>Runs queued embedding requests on the inference thread (the context is not thread-safe).</summary>
    private void ServeEmbeddings()
    {
        while (_embeddings.TryDequeue(out var pending))
        {
            if (pending.Cancellation.IsCancellationRequested)
            {
                pending.Completion.TrySetCanceled(pending.Cancellation);
                continue;
            }

            try
            {
                pending.Completion.TrySetResult(Embed(pending.Request));
            }
            catch (InvalidCompletionException ex)
            {
                pending.Completion.TrySetResult(new EmbeddingResponse { Error = ex.Message, Refused = true });
            }
            catch (Exception ex) when (ex is LlamaException or ArgumentException)
            {
                pending.Completion.TrySetResult(new EmbeddingResponse { Error = ex.Message });
            }
        }
    }

    private EmbeddingResponse Embed(EmbeddingRequest request)
    {
        if (!_options.Embedding)
        {
            throw new InvalidCompletionException("this model does not support embeddings");
        }

        if (_context.PoolingType == LlamaPoolingType.Rank)
        {
            throw new InvalidCompletionException("this model is a reranker: it scores (query, document) pairs and has no embeddings");
        }

        var limit = Math.Min(_options.ContextPerSlot, _batch.Capacity);
        var inputs = new LlamaToken[request.Inputs.Length][];
        var total = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            var tokens = _model.Vocab.Tokenize(request.Inputs[i], addSpecial: true, parseSpecial: false);
            if (tokens.Length > limit)
            {
                if (!request.Truncate)
                {
                    // Ollama's exact words (as for a prompt), which clients match on; no counts.
                    throw new InvalidCompletionException(InputTooLong);
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
            _batch.Clear();
            _context.ClearMemory();
            var first = next;
            while (next < inputs.Length && next - first < _slots.Length && _batch.Count + inputs[next].Length <= _batch.Capacity)
            {
                var seq = new LlamaSeqId(next - first);
                var tokens = inputs[next];
                for (var p = 0; p < tokens.Length; p++)
                {
                    _batch.Add(tokens[p], p, seq, logits: true);
                }

                next++;
            }

            _context.Decode(_batch);
            for (var i = first; i < next; i++)
            {
                pooled[i] = _context.GetSequenceEmbeddings(new LlamaSeqId(i - first)).ToArray();
            }
        }

        _context.ClearMemory();
        foreach (var slot in _slots)
        {
            slot.Cached.Clear();
        }

        return pooled;
    }
}
