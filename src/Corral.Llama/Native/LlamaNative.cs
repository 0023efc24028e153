using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>
/// Raw declarations of the llama.h C API (llama.cpp v0.5.0) and the two ggml functions Corral needs.
/// Method names are the C names so they can be checked against the header at a glance. Prefer the
/// managed wrappers in <c>Corral.Llama</c>; these are the escape hatch.
/// Split over several files by area (LlamaNative.*.cs).
/// </summary>
internal static unsafe partial class LlamaNative
{
    /// <summary>Import name of libllama; mapped to a file by <see cref="NativeLibraryLocator"/>.</summary>
    public const string LlamaLibrary = "llama";

    /// <summary>Import name of libggml (backend registry: ggml_backend_load_all_from_path).</summary>
    public const string GgmlLibrary = "ggml";

    /// <summary>Import name of libggml-base (ggml core: logging, type names).</summary>
    public const string GgmlBaseLibrary = "ggml-base";

    /// <summary>llama_token value meaning "no token" (LLAMA_TOKEN_NULL).</summary>
    public const int TokenNull = -1;

    /// <summary>Seed value asking for a random seed (LLAMA_DEFAULT_SEED).</summary>
    public const uint DefaultSeed = 0xFFFFFFFF;

    // An explicit static constructor (no beforefieldinit) runs before the first call of any
    // import below, so the library resolver is always installed before the runtime binds one.
    static LlamaNative() => NativeLibraryLocator.InstallResolver();

    // ---- backend ----

    [LibraryImport(GgmlLibrary, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void ggml_backend_load_all_from_path(string dirPath);

    /// <summary>Number of devices (CPU, GPUs) registered by the loaded ggml backends.</summary>
    [LibraryImport(GgmlLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint ggml_backend_dev_count();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_backend_init();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_backend_free();

    /// <param name="numa">enum ggml_numa_strategy (0 disabled, 1 distribute, 2 isolate, 3 numactl, 4 mirror).</param>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_numa_init(int numa);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* llama_print_system_info();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* llama_version();

    /// <param name="userData">Passed to the callback as <c>user_data</c>.</param>
    /// <param name="logCallback"><c>void (*)(enum ggml_log_level level, const char * text, void * user_data)</c>.</param>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_log_set(nint logCallback, nint userData);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial long llama_time_us();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint llama_max_devices();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nuint llama_max_parallel_sequences();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_supports_mmap();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_supports_mlock();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_supports_gpu_offload();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* llama_ftype_name(LlamaFileType ftype);

    // ---- quantization ----

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativeQuantizeParams llama_model_quantize_default_params();

    /// <returns>0 on success.</returns>
    [LibraryImport(LlamaLibrary, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint llama_model_quantize(string fnameInp, string fnameOut, NativeQuantizeParams* parameters);

    // ---- chat templates ----

    /// <returns>Total bytes of the formatted prompt (may exceed <paramref name="length"/>), negative on failure.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_chat_apply_template(byte* tmpl, NativeChatMessage* chat, nuint nMsg,
        [MarshalAs(UnmanagedType.U1)] bool addAss, byte* buf, int length);

    // ---- performance ----

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativePerfContextData llama_perf_context(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_perf_context_reset(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativePerfSamplerData llama_perf_sampler(SafeLlamaSamplerHandle chain);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_perf_sampler_reset(SafeLlamaSamplerHandle chain);
}
