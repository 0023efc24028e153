using Corral.Llama.Native;
using Microsoft.Win32.SafeHandles;

namespace Corral.Llama;

/// <summary>Owns a <c>llama_model*</c>; frees it with llama_model_free.</summary>
public sealed class SafeLlamaModelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeLlamaModelHandle() : base(ownsHandle: true)
    {
    }

    internal SafeLlamaModelHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_model_free(handle);
        return true;
    }
}
