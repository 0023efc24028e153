using Corral.Llama.Native;
using Microsoft.Win32.SafeHandles;

namespace Corral.Llama;

/// <summary>
/// Owns a <c>llama_context*</c>; frees it with llama_free. Holds a reference on the model handle
/// so the model outlives every context created from it, whatever order they are disposed in.
/// </summary>
public sealed class SafeLlamaContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private SafeLlamaModelHandle? _model;

    public SafeLlamaContextHandle() : base(ownsHandle: true)
    {
    }

    internal SafeLlamaContextHandle(nint handle, SafeLlamaModelHandle model) : base(ownsHandle: true)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        _model = model;
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_free(handle);
        _model?.DangerousRelease();
        _model = null;
        return true;
    }
}
