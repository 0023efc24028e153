using Corral.Llama.Native;
using Microsoft.Win32.SafeHandles;

namespace Corral.Llama.Multimodal;

/// <summary>
/// Owns a <c>mtmd_context*</c>; frees it with mtmd_free. Holds a reference on the text model's
/// handle: the projector context keeps a pointer to the model, so the model must outlive it.
/// </summary>
public sealed class SafeMtmdContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private SafeLlamaModelHandle? _model;

    public SafeMtmdContextHandle() : base(ownsHandle: true)
    {
    }

    internal SafeMtmdContextHandle(nint handle, SafeLlamaModelHandle model) : base(ownsHandle: true)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        _model = model;
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        MtmdNative.mtmd_free(handle);
        _model?.DangerousRelease();
        _model = null;
        return true;
    }
}
