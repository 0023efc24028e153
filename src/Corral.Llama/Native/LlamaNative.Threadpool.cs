using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>ggml's CPU threadpool: found through the CPU backend's registry (it lives in the variant library ggml loaded).</summary>
internal static unsafe partial class LlamaNative
{
    /// <summary>GGML_BACKEND_DEVICE_TYPE_CPU.</summary>
    public const int GgmlDeviceTypeCpu = 0;

    /// <summary>Bytes reserved for a <c>struct ggml_threadpool_params</c> (528 in this release; filled by ggml itself).</summary>
    public const int ThreadpoolParamsBytes = 1024;

    [LibraryImport(GgmlLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint ggml_backend_dev_by_type(int type);

    [LibraryImport(GgmlLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint ggml_backend_dev_backend_reg(nint device);

    [LibraryImport(GgmlLibrary, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint ggml_backend_reg_get_proc_address(nint reg, string name);

    /// <summary>Fills a <c>struct ggml_threadpool_params</c> with ggml's defaults (no affinity, normal priority, poll 50).</summary>
    [LibraryImport(GgmlBaseLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void ggml_threadpool_params_init(byte* parameters, int threads);

    /// <param name="ctx">The context that will use the pools.</param>
    /// <param name="threadpool">The pool for single-token decodes.</param>
    /// <param name="threadpoolBatch">The pool for prompt batches; 0 uses <paramref name="threadpool"/> for both.</param>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_attach_threadpool(SafeLlamaContextHandle ctx, nint threadpool, nint threadpoolBatch);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_detach_threadpool(SafeLlamaContextHandle ctx);
}
