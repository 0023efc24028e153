using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

// Contexts, batches, decoding, outputs and thread settings.
internal static unsafe partial class LlamaNative
{
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativeContextParams llama_context_default_params();

    /// <returns>The context, or null on failure.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_init_from_model(SafeLlamaModelHandle model, NativeContextParams parameters);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_free(nint ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint llama_n_ctx(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint llama_n_ctx_seq(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint llama_n_batch(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint llama_n_ubatch(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint llama_n_seq_max(SafeLlamaContextHandle ctx);

    /// <returns>The context's memory (KV cache); owned by the context.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_get_memory(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial LlamaPoolingType llama_pooling_type(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativeBatch llama_batch_init(int nTokens, int embd, int nSeqMax);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_batch_free(NativeBatch batch);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativeBatch llama_batch_get_one(int* tokens, int nTokens);

    /// <returns>0 ok; &lt;0 error (memory state restored).</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_encode(SafeLlamaContextHandle ctx, NativeBatch batch);

    /// <returns>0 ok; 1 no KV slot; 2 aborted; -1 invalid batch; &lt; -1 fatal.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_decode(SafeLlamaContextHandle ctx, NativeBatch batch);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_set_n_threads(SafeLlamaContextHandle ctx, int nThreads, int nThreadsBatch);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_n_threads(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_n_threads_batch(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_set_embeddings(SafeLlamaContextHandle ctx, [MarshalAs(UnmanagedType.U1)] bool embeddings);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_set_causal_attn(SafeLlamaContextHandle ctx, [MarshalAs(UnmanagedType.U1)] bool causalAttn);

    /// <param name="ctx">The context whose decodes the callback may abort.</param>
    /// <param name="abortCallbackData">Passed to the callback as <c>data</c>.</param>
    /// <param name="abortCallback"><c>bool (*)(void * data)</c>; returning true aborts llama_decode (CPU only).</param>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_set_abort_callback(SafeLlamaContextHandle ctx, nint abortCallback, nint abortCallbackData);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_synchronize(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial float* llama_get_logits(SafeLlamaContextHandle ctx);

    /// <returns>n_vocab floats for batch index i (negative counts from the end), or null.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial float* llama_get_logits_ith(SafeLlamaContextHandle ctx, int i);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial float* llama_get_embeddings(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial float* llama_get_embeddings_ith(SafeLlamaContextHandle ctx, int i);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial float* llama_get_embeddings_seq(SafeLlamaContextHandle ctx, int seqId);
}
