using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>
/// A reusable input batch for <see cref="LlamaContext.Decode"/> (owns <c>llama_batch_init</c> memory).
/// Fill it with tokens of any number of sequences, decode, <see cref="Clear"/>, repeat: nothing is
/// allocated per token. Not thread-safe.
/// </summary>
public sealed unsafe class LlamaBatch : IDisposable
{
    private NativeBatch _batch;
    private bool _disposed;

    /// <param name="capacity">Most tokens the batch holds (normally the context's batch size).</param>
    /// <param name="maxSequencesPerToken">Most sequence ids one token can belong to.</param>
    public LlamaBatch(int capacity, int maxSequencesPerToken = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequencesPerToken, 1);
        LlamaBackend.EnsureInitialized();
        _batch = LlamaNative.llama_batch_init(capacity, 0, maxSequencesPerToken);
        if (_batch.token is null)
        {
            throw new InsufficientMemoryException($"llama_batch_init({capacity}) failed");
        }

        Capacity = capacity;
        MaxSequencesPerToken = maxSequencesPerToken;
    }

    ~LlamaBatch() => Free();

    public int Capacity { get; }

    public int MaxSequencesPerToken { get; }

    /// <summary>Tokens currently in the batch.</summary>
    public int Count => _batch.n_tokens;

    /// <summary>The native struct to pass by value to llama_decode.</summary>
    public NativeBatch Native
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _batch;
        }
    }

    /// <summary>Empties the batch (keeps its memory).</summary>
    public void Clear() => _batch.n_tokens = 0;

    /// <summary>Adds a token of one sequence. Returns its index in the batch (for <see cref="LlamaContext.GetLogits"/>).</summary>
    /// <param name="token">The token to decode.</param>
    /// <param name="sequence">The sequence (slot) the token belongs to.</param>
    /// <param name="position">Position of the token in its sequence.</param>
    /// <param name="logits">Compute logits (or embeddings) for this token.</param>
    public int Add(LlamaToken token, int position, LlamaSeqId sequence, bool logits)
    {
        var i = NextIndex();
        _batch.token[i] = token.Value;
        _batch.pos[i] = position;
        _batch.n_seq_id[i] = 1;
        _batch.seq_id[i][0] = sequence.Value;
        _batch.logits[i] = logits ? (sbyte)1 : (sbyte)0;
        _batch.n_tokens = i + 1;
        return i;
    }

    /// <summary>Adds a token shared by several sequences (e.g. a common prompt prefix). Returns its index.</summary>
    public int Add(LlamaToken token, int position, ReadOnlySpan<LlamaSeqId> sequences, bool logits)
    {
        if (sequences.IsEmpty || sequences.Length > MaxSequencesPerToken)
        {
            throw new ArgumentOutOfRangeException(nameof(sequences), sequences.Length,
                $"A token needs 1 to {MaxSequencesPerToken} sequence ids.");
        }

        var i = NextIndex();
        _batch.token[i] = token.Value;
        _batch.pos[i] = position;
        _batch.n_seq_id[i] = sequences.Length;
        var ids = _batch.seq_id[i];
        for (var s = 0; s < sequences.Length; s++)
        {
            ids[s] = sequences[s].Value;
        }

        _batch.logits[i] = logits ? (sbyte)1 : (sbyte)0;
        _batch.n_tokens = i + 1;
        return i;
    }

    /// <summary>Turns output for an already added token on or off (e.g. the last token of a prompt chunk).</summary>
    public void SetLogits(int index, bool logits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        _batch.logits[index] = logits ? (sbyte)1 : (sbyte)0;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private int NextIndex()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var i = _batch.n_tokens;
        if (i >= Capacity)
        {
            throw new InvalidOperationException($"The batch is full ({Capacity} tokens).");
        }

        return i;
    }

    private void Free()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        LlamaNative.llama_batch_free(_batch);
        _batch = default;
    }
}
