using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

// LoRA adapters (llama-adapter.cpp): loaded against a model, applied per context.
internal static unsafe partial class LlamaNative
{
    /// <returns>The adapter, or null on failure (the reason goes to the log callback: arch mismatch, not a LoRA, a tensor the model lacks...).</returns>
    [LibraryImport(LlamaLibrary, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_adapter_lora_init(SafeLlamaModelHandle model, string pathLora);

    /// <summary>Frees an adapter and removes it from its model's set (a model frees the adapters still in its set).</summary>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_adapter_lora_free(nint adapter);

    /// <returns>The value's length, or -1 when the adapter has no such scalar key; <paramref name="buf"/> is always NUL-terminated.</returns>
    [LibraryImport(LlamaLibrary, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_adapter_meta_val_str(SafeLlamaLoraAdapterHandle adapter, string key, byte* buf, nuint bufSize);

    /// <summary>
    /// Sets the context's adapters and their scales for every later decode (adapters with scale 0 are left out); a no-op
    /// when the set is unchanged, otherwise the next decode reserves a new graph. Returns 0.
    /// </summary>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_set_adapters_lora(SafeLlamaContextHandle ctx, nint* adapters, nuint nAdapters, float* scales);
}
