using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>
/// An inference context (<c>llama_context</c>): KV cache over up to <see cref="SeqMax"/> sequences,
/// decode, logits/embeddings, and sequence state. Not thread-safe: drive it from one thread.
/// </summary>
public sealed unsafe class LlamaContext : IDisposable
{
    private readonly nint _memory;
    private readonly int _outputEmbeddingLength;
    private readonly int _classifierOutputs;
    private LlamaLoraAdapter[] _loraAdapters = [];

    private LlamaContext(LlamaModel model, SafeLlamaContextHandle handle)
    {
        Model = model;
        Handle = handle;
        _memory = LlamaNative.llama_get_memory(handle);
        VocabCount = model.Vocab.Count;
        ContextSize = (int)LlamaNative.llama_n_ctx(handle);
        ContextSizePerSequence = (int)LlamaNative.llama_n_ctx_seq(handle);
        BatchSize = (int)LlamaNative.llama_n_batch(handle);
        UBatchSize = (int)LlamaNative.llama_n_ubatch(handle);
        SeqMax = (int)LlamaNative.llama_n_seq_max(handle);
        PoolingType = LlamaNative.llama_pooling_type(handle);
        _outputEmbeddingLength = model.OutputEmbeddingLength;
        _classifierOutputs = PoolingType == LlamaPoolingType.Rank ? (int)LlamaNative.llama_model_n_cls_out(model.Handle) : 0;
    }

    public SafeLlamaContextHandle Handle { get; }

    public LlamaModel Model { get; }

    /// <summary>Length of every logits row (n_vocab).</summary>
    public int VocabCount { get; }

    /// <summary>Actual KV cache size in tokens (may differ from the requested one).</summary>
    public int ContextSize { get; }

    /// <summary>Tokens one sequence can hold (ContextSize, or ContextSize/SeqMax without a unified cache).</summary>
    public int ContextSizePerSequence { get; }

    public int BatchSize { get; }

    public int UBatchSize { get; }

    public int SeqMax { get; }

    public LlamaPoolingType PoolingType { get; }

    public int Threads => LlamaNative.llama_n_threads(Handle);

    public int BatchThreads => LlamaNative.llama_n_threads_batch(Handle);

    /// <summary>Whether the memory supports <see cref="SeqAdd"/> (position shifting).</summary>
    public bool CanShift => LlamaNative.llama_memory_can_shift(Memory);

    /// <exception cref="LlamaContextCreateException">llama.cpp refused the settings or ran out of memory.</exception>
    public static LlamaContext Create(LlamaModel model, LlamaContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ThrowIfDisposed();
        options ??= new LlamaContextOptions();
        var p = LlamaNative.llama_context_default_params();
        if (options.ContextSize is { } nCtx) p.n_ctx = checked((uint)nCtx);
        if (options.BatchSize is { } nBatch) p.n_batch = checked((uint)nBatch);
        if (options.UBatchSize is { } nUBatch) p.n_ubatch = checked((uint)nUBatch);
        if (options.SeqMax is { } nSeq) p.n_seq_max = checked((uint)nSeq);
        if (options.Threads is { } threads) p.n_threads = threads;
        if (options.BatchThreads is { } batchThreads) p.n_threads_batch = batchThreads;
        if (options.Embeddings is { } embeddings) p.embeddings = embeddings;
        if (options.PoolingType is { } pooling) p.pooling_type = pooling;
        if (options.FlashAttention is { } flash) p.flash_attn_type = flash;
        if (options.TypeK is { } typeK) p.type_k = (int)typeK;
        if (options.TypeV is { } typeV) p.type_v = (int)typeV;
        if (options.OffloadKqv is { } offload) p.offload_kqv = offload;
        if (options.NoPerf is { } noPerf) p.no_perf = noPerf;
        if (options.KvUnified is { } unified) p.kv_unified = unified;
        if (options.SwaFull is { } swaFull) p.swa_full = swaFull;

        using var capture = NativeLogRouter.BeginCapture();
        var ctx = LlamaNative.llama_init_from_model(model.Handle, p);
        if (ctx == 0)
        {
            throw new LlamaContextCreateException(
                LlamaException.WithNativeReason($"Cannot create a context for '{model.Path}'", capture.Text));
        }

        return new LlamaContext(model, new SafeLlamaContextHandle(ctx, model.Handle));
    }

    /// <summary>Decodes a batch; throws on any non-zero result.</summary>
    /// <exception cref="LlamaDecodeException">Code 1 = no KV slot, 2 = aborted, -1 = invalid batch, &lt; -1 fatal.</exception>
    public void Decode(LlamaBatch batch)
    {
        var code = TryDecode(batch);
        if (code != 0)
        {
            throw new LlamaDecodeException(code, $"llama_decode failed: {LlamaDecodeException.Describe(code)}");
        }
    }

    /// <summary>Decodes a batch and returns llama_decode's code (0 = ok) instead of throwing.</summary>
    public int TryDecode(LlamaBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            throw new ArgumentException("The batch is empty.", nameof(batch));
        }

        return LlamaNative.llama_decode(Handle, batch.Native);
    }

    /// <summary>Runs the encoder of an encoder-decoder (or embedding-only) model on a batch.</summary>
    /// <exception cref="LlamaDecodeException">Non-zero result.</exception>
    public void Encode(LlamaBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            throw new ArgumentException("The batch is empty.", nameof(batch));
        }

        var code = LlamaNative.llama_encode(Handle, batch.Native);
        if (code != 0)
        {
            throw new LlamaDecodeException(code, $"llama_encode failed with code {code}");
        }
    }

    /// <summary>
    /// Logits (n_vocab floats) of the batch token at <paramref name="batchIndex"/> from the last decode;
    /// negative indexes count from the last output. Valid until the next decode. No copy.
    /// </summary>
    public ReadOnlySpan<float> GetLogits(int batchIndex)
    {
        var logits = LlamaNative.llama_get_logits_ith(Handle, batchIndex);
        if (logits is null)
        {
            throw new LlamaException($"No logits for batch index {batchIndex}: was it added with logits: true?");
        }

        return new ReadOnlySpan<float>(logits, VocabCount);
    }

    /// <summary>
    /// The same logits as <see cref="GetLogits"/>, writable: samplers that change a few logits (biases, penalties) do it
    /// in place instead of copying all n_vocab of them. Valid until the next decode.
    /// </summary>
    public Span<float> GetLogitsForUpdate(int batchIndex)
    {
        var logits = LlamaNative.llama_get_logits_ith(Handle, batchIndex);
        if (logits is null)
        {
            throw new LlamaException($"No logits for batch index {batchIndex}: was it added with logits: true?");
        }

        return new Span<float>(logits, VocabCount);
    }

    /// <summary>Embedding of the batch token at <paramref name="batchIndex"/> (contexts created with Embeddings).</summary>
    public ReadOnlySpan<float> GetEmbeddings(int batchIndex)
    {
        var embeddings = LlamaNative.llama_get_embeddings_ith(Handle, batchIndex);
        if (embeddings is null)
        {
            throw new LlamaException($"No embeddings for batch index {batchIndex}");
        }

        return new ReadOnlySpan<float>(embeddings, _outputEmbeddingLength);
    }

    /// <summary>Pooled embedding of a sequence (pooling type not None); for Rank pooling, the class scores.</summary>
    public ReadOnlySpan<float> GetSequenceEmbeddings(LlamaSeqId sequence)
    {
        var embeddings = LlamaNative.llama_get_embeddings_seq(Handle, sequence.Value);
        if (embeddings is null)
        {
            throw new LlamaException($"No pooled embeddings for sequence {sequence} (pooling type {PoolingType})");
        }

        return new ReadOnlySpan<float>(embeddings, PoolingType == LlamaPoolingType.Rank ? _classifierOutputs : _outputEmbeddingLength);
    }

    /// <summary>Clears the whole memory (every sequence).</summary>
    public void ClearMemory(bool clearData = true) => LlamaNative.llama_memory_clear(Memory, clearData);

    /// <summary>
    /// Removes the tokens of <paramref name="sequence"/> (negative = all sequences) with positions in
    /// [p0, p1) (negative bounds = open). Returns false if a partial removal is not possible (recurrent models).
    /// </summary>
    public bool SeqRemove(LlamaSeqId sequence, int p0 = -1, int p1 = -1) =>
        LlamaNative.llama_memory_seq_rm(Memory, sequence.Value, p0, p1);

    /// <summary>Makes the tokens of <paramref name="source"/> in [p0, p1) also belong to <paramref name="destination"/> (no copy of data with a unified cache).</summary>
    public void SeqCopy(LlamaSeqId source, LlamaSeqId destination, int p0 = -1, int p1 = -1) =>
        LlamaNative.llama_memory_seq_cp(Memory, source.Value, destination.Value, p0, p1);

    /// <summary>Removes every token that does not belong to <paramref name="sequence"/>.</summary>
    public void SeqKeep(LlamaSeqId sequence) => LlamaNative.llama_memory_seq_keep(Memory, sequence.Value);

    /// <summary>Adds <paramref name="delta"/> to the positions in [p0, p1) of a sequence (context shift).</summary>
    public void SeqAdd(LlamaSeqId sequence, int p0, int p1, int delta) =>
        LlamaNative.llama_memory_seq_add(Memory, sequence.Value, p0, p1, delta);

    /// <summary>Smallest position held for the sequence, -1 when empty.</summary>
    public int SeqPosMin(LlamaSeqId sequence) => LlamaNative.llama_memory_seq_pos_min(Memory, sequence.Value);

    /// <summary>Largest position held for the sequence, -1 when empty.</summary>
    public int SeqPosMax(LlamaSeqId sequence) => LlamaNative.llama_memory_seq_pos_max(Memory, sequence.Value);

    /// <summary>Exact byte size of one sequence's state.</summary>
    public long GetSequenceStateSize(LlamaSeqId sequence) => (long)LlamaNative.llama_state_seq_get_size(Handle, sequence.Value);

    /// <summary>Copies one sequence's state (KV cells) into <paramref name="destination"/>; returns the bytes written.</summary>
    public int SaveSequenceState(LlamaSeqId sequence, Span<byte> destination)
    {
        fixed (byte* dst = destination)
        {
            var written = LlamaNative.llama_state_seq_get_data(Handle, dst, (nuint)destination.Length, sequence.Value);
            if (written == 0 && destination.Length > 0 && GetSequenceStateSize(sequence) > destination.Length)
            {
                throw new ArgumentException("The destination is too small for the sequence state.", nameof(destination));
            }

            return checked((int)written);
        }
    }

    /// <summary>Copies one sequence's state into a new array.</summary>
    public byte[] SaveSequenceState(LlamaSeqId sequence)
    {
        var data = new byte[GetSequenceStateSize(sequence)];
        var written = SaveSequenceState(sequence, data);
        return written == data.Length ? data : data.AsSpan(0, written).ToArray();
    }

    /// <summary>Restores a state saved by <see cref="SaveSequenceState(LlamaSeqId)"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="LlamaException">llama.cpp rejected the data (wrong model, no room).</exception>
    public void LoadSequenceState(ReadOnlySpan<byte> state, LlamaSeqId destination)
    {
        using var capture = NativeLogRouter.BeginCapture();
        fixed (byte* src = state)
        {
            if (LlamaNative.llama_state_seq_set_data(Handle, src, (nuint)state.Length, destination.Value) == 0)
            {
                throw new LlamaException(LlamaException.WithNativeReason($"Cannot restore the state of sequence {destination}", capture.Text));
            }
        }
    }

    /// <summary>Byte size of the whole context state (logits, embeddings, memory).</summary>
    public long GetStateSize() => (long)LlamaNative.llama_state_get_size(Handle);

    /// <summary>Copies the whole context state; returns the bytes written.</summary>
    public long SaveState(Span<byte> destination)
    {
        fixed (byte* dst = destination)
        {
            return (long)LlamaNative.llama_state_get_data(Handle, dst, (nuint)destination.Length);
        }
    }

    /// <summary>Restores the whole context state; returns the bytes read.</summary>
    public long LoadState(ReadOnlySpan<byte> state)
    {
        fixed (byte* src = state)
        {
            return (long)LlamaNative.llama_state_set_data(Handle, src, (nuint)state.Length);
        }
    }

    /// <summary>The adapters of the last <see cref="SetLoraAdapters"/> call (those with scale 0 included).</summary>
    public IReadOnlyList<LlamaLoraAdapter> LoraAdapters => _loraAdapters;

    /// <summary>
    /// The LoRA adapters every later decode applies, each with its scale (0 leaves it out). The set belongs to the whole
    /// context, not to a sequence: every token of a batch is evaluated with it. Unchanged sets cost nothing; a change
    /// makes the next decode reserve its graph again.
    /// </summary>
    public void SetLoraAdapters(IReadOnlyList<LlamaLoraAdapter> adapters, ReadOnlySpan<float> scales)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        if (adapters.Count != scales.Length)
        {
            throw new ArgumentException("One scale per adapter is needed.", nameof(scales));
        }

        var pointers = new nint[adapters.Count];
        var added = new bool[adapters.Count];
        try
        {
            for (var i = 0; i < pointers.Length; i++)
            {
                adapters[i].Handle.DangerousAddRef(ref added[i]);
                pointers[i] = adapters[i].Handle.DangerousGetHandle();
            }

            fixed (nint* p = pointers)
            fixed (float* s = scales)
            {
                LlamaNative.llama_set_adapters_lora(Handle, pointers.Length == 0 ? null : p, (nuint)pointers.Length, pointers.Length == 0 ? null : s);
            }
        }
        finally
        {
            for (var i = 0; i < added.Length; i++)
            {
                if (added[i])
                {
                    adapters[i].Handle.DangerousRelease();
                }
            }
        }

        // The context keeps raw pointers to the adapters until the set changes: keep them alive as long.
        _loraAdapters = adapters.ToArray();
    }

    public void SetThreads(int threads, int batchThreads) => LlamaNative.llama_set_n_threads(Handle, threads, batchThreads);

    /// <summary>Switch embedding output on/off between decodes (e.g. to embed with a generative model).</summary>
    public void SetEmbeddings(bool embeddings) => LlamaNative.llama_set_embeddings(Handle, embeddings);

    public void SetCausalAttention(bool causal) => LlamaNative.llama_set_causal_attn(Handle, causal);

    /// <summary>Waits for pending backend work (done implicitly by the getters).</summary>
    public void Synchronize() => LlamaNative.llama_synchronize(Handle);

    public LlamaContextPerformance GetPerformance()
    {
        var d = LlamaNative.llama_perf_context(Handle);
        return new LlamaContextPerformance(d.t_start_ms, d.t_load_ms, d.t_p_eval_ms, d.t_eval_ms, d.n_p_eval, d.n_eval, d.n_reused);
    }

    public void ResetPerformance() => LlamaNative.llama_perf_context_reset(Handle);

    public void Dispose() => Handle.Dispose();

    // The memory pointer is owned by the context; refuse to use it once the context is gone.
    private nint Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
            return _memory;
        }
    }
}
