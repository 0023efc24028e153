using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>ggml's device registry (ggml-backend.h): what the loaded backends found, with their memory.</summary>
internal static unsafe partial class LlamaNative
{
    [LibraryImport(GgmlLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint ggml_backend_dev_get(nuint index);

    [LibraryImport(GgmlLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* ggml_backend_dev_name(nint device);

    [LibraryImport(GgmlLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* ggml_backend_dev_description(nint device);

    /// <summary>The device's free and total memory in bytes, as its backend measures them.</summary>
    [LibraryImport(GgmlLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void ggml_backend_dev_memory(nint device, nuint* free, nuint* total);

    /// <summary>enum ggml_backend_dev_type: 0 CPU, 1 GPU, 2 integrated GPU, 3 accelerator, 4 meta.</summary>
    [LibraryImport(GgmlLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int ggml_backend_dev_type(nint device);
}
