using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Corral.Llama.Multimodal;

namespace Corral.Llama.Native;

/// <summary>
/// Raw declarations of libmtmd's C API (tools/mtmd/mtmd.h and mtmd-helper.h of llama.cpp v0.5.0).
/// libmtmd is not in the prebuilt package; eng/native.sh builds it next to libllama. Method names
/// are the C names. Prefer the managed wrappers in <c>Corral.Llama.Multimodal</c>.
/// Chunk pointers (<c>const mtmd_input_chunk*</c>) are plain <see cref="nint"/>s: they are owned by
/// their <c>mtmd_input_chunks</c> and are never freed on their own.
/// </summary>
internal static unsafe partial class MtmdNative
{
    /// <summary>Import name of libmtmd; mapped to a file by <see cref="NativeLibraryLocator"/>.</summary>
    public const string MtmdLibrary = "mtmd";

    /// <summary>enum mtmd_input_chunk_type.</summary>
    public const int ChunkTypeText = 0;
    public const int ChunkTypeImage = 1;
    public const int ChunkTypeAudio = 2;

    // Same reason as LlamaNative's: the resolver must be installed before the first import binds.
    static MtmdNative() => NativeLibraryLocator.InstallResolver();

    // ---- context ----

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* mtmd_default_marker();

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativeMtmdContextParams mtmd_context_params_default();

    /// <returns>The context, or null on failure (the reason goes to the log callback).</returns>
    [LibraryImport(MtmdLibrary, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint mtmd_init_from_file(string mmprojFname, SafeLlamaModelHandle textModel, NativeMtmdContextParams ctxParams);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void mtmd_free(nint ctx);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool mtmd_decode_use_non_causal(SafeMtmdContextHandle ctx, nint chunk);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool mtmd_decode_use_mrope(SafeMtmdContextHandle ctx);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool mtmd_support_vision(SafeMtmdContextHandle ctx);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool mtmd_support_audio(SafeMtmdContextHandle ctx);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* mtmd_get_marker(SafeMtmdContextHandle ctx);

    // ---- bitmaps ----

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint mtmd_bitmap_get_nx(SafeMtmdBitmapHandle bitmap);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint mtmd_bitmap_get_ny(SafeMtmdBitmapHandle bitmap);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* mtmd_bitmap_get_id(SafeMtmdBitmapHandle bitmap);

    [LibraryImport(MtmdLibrary, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void mtmd_bitmap_set_id(SafeMtmdBitmapHandle bitmap, string? id);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool mtmd_bitmap_is_audio(SafeMtmdBitmapHandle bitmap);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void mtmd_bitmap_free(nint bitmap);

    // ---- input chunks ----

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint mtmd_input_chunks_init();

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint mtmd_input_chunks_size(SafeMtmdChunksHandle chunks);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint mtmd_input_chunks_get(SafeMtmdChunksHandle chunks, nuint idx);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void mtmd_input_chunks_free(nint chunks);

    /// <returns>enum mtmd_input_chunk_type (<see cref="ChunkTypeText"/>, ...).</returns>
    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int mtmd_input_chunk_get_type(nint chunk);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int* mtmd_input_chunk_get_tokens_text(nint chunk, nuint* nTokensOutput);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint mtmd_input_chunk_get_n_tokens(nint chunk);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* mtmd_input_chunk_get_id(nint chunk);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int mtmd_input_chunk_get_n_pos(nint chunk);

    /// <returns>0 ok, 1 bitmap count differs from the marker count, 2 media preprocessing error.</returns>
    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int mtmd_tokenize(SafeMtmdContextHandle ctx, SafeMtmdChunksHandle output, NativeMtmdInputText* text,
        nint* bitmaps, nuint nBitmaps);

    // ---- encoding ----

    /// <returns>0 on success.</returns>
    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int mtmd_encode_chunk(SafeMtmdContextHandle ctx, nint chunk);

    /// <summary>Output of the last mtmd_encode_chunk: n_tokens × n_embd floats, owned by the context.</summary>
    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial float* mtmd_get_output_embd(SafeMtmdContextHandle ctx);

    // ---- helpers (mtmd-helper.h) ----

    /// <param name="userData">Passed to the callback as <c>user_data</c>.</param>
    /// <param name="logCallback"><c>void (*)(enum ggml_log_level level, const char * text, void * user_data)</c>; also sets mtmd's and clip's.</param>
    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void mtmd_helper_log_set(nint logCallback, nint userData);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativeMtmdHelperInitOpt mtmd_helper_init_opt_default();

    /// <summary>
    /// Decodes an encoded image (stb_image: jpg, png, bmp, gif, ...) or audio file; the bitmap's id
    /// is the SHA-256 of the bytes. Null bitmap on failure. Thread-safe.
    /// </summary>
    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativeMtmdHelperBitmapWrapper mtmd_helper_bitmap_init_from_buf(SafeMtmdContextHandle ctx, byte* buf, nuint len,
        [MarshalAs(UnmanagedType.U1)] bool placeholder, NativeMtmdHelperInitOpt opt);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void mtmd_helper_video_free(nint videoCtx);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint mtmd_helper_get_n_tokens(SafeMtmdChunksHandle chunks);

    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int mtmd_helper_get_n_pos(SafeMtmdChunksHandle chunks);

    /// <summary>
    /// Evaluates one chunk into <paramref name="lctx"/> with llama_decode (text in n_batch pieces;
    /// media: encode, then decode the embeddings). For text it ADDS the evaluated count to
    /// <c>*newNPast</c>, so the caller must set it to <paramref name="nPast"/> first. Not thread-safe.
    /// </summary>
    /// <returns>0 on success, else the failing encode/decode's code.</returns>
    [LibraryImport(MtmdLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int mtmd_helper_eval_chunk_single(SafeMtmdContextHandle ctx, SafeLlamaContextHandle lctx, nint chunk,
        int nPast, int seqId, int nBatch, [MarshalAs(UnmanagedType.U1)] bool logitsLast, int* newNPast);
}
