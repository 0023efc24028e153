using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

// Memory (KV cache) API and state save/restore. llama_memory_t is a pointer owned by the context;
// callers must keep the context alive (the managed wrapper does).
internal static unsafe partial class LlamaNative
{
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_memory_clear(nint mem, [MarshalAs(UnmanagedType.U1)] bool data);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_memory_seq_rm(nint mem, int seqId, int p0, int p1);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_memory_seq_cp(nint mem, int seqIdSrc, int seqIdDst, int p0, int p1);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_memory_seq_keep(nint mem, int seqId);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_memory_seq_add(nint mem, int seqId, int p0, int p1, int delta);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_memory_seq_div(nint mem, int seqId, int p0, int p1, int d);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_memory_seq_pos_min(nint mem, int seqId);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_memory_seq_pos_max(nint mem, int seqId);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_memory_can_shift(nint mem);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint llama_state_get_size(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint llama_state_get_data(SafeLlamaContextHandle ctx, byte* dst, nuint size);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint llama_state_set_data(SafeLlamaContextHandle ctx, byte* src, nuint size);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint llama_state_seq_get_size(SafeLlamaContextHandle ctx, int seqId);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint llama_state_seq_get_data(SafeLlamaContextHandle ctx, byte* dst, nuint size, int seqId);

    /// <returns>Bytes read; 0 means the load failed.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint llama_state_seq_set_data(SafeLlamaContextHandle ctx, byte* src, nuint size, int destSeqId);
}
