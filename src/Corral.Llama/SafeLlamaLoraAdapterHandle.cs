using Corral.Llama.Native;
using Microsoft.Win32.SafeHandles;

namespace Corral.Llama;

/// <summary>
/// Owns a <c>llama_adapter_lora*</c>; frees it with llama_adapter_lora_free. Holds a reference on the model handle:
/// a model frees the adapters still registered with it, so the adapter must go first, whatever order they are
/// disposed in.
/// </summary>
public sealed class SafeLlamaLoraAdapterHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private SafeLlamaModelHandle? _model;

    public SafeLlamaLoraAdapterHandle() : base(ownsHandle: true)
    {
    }

    internal SafeLlamaLoraAdapterHandle(nint handle, SafeLlamaModelHandle model) : base(ownsHandle: true)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        _model = model;
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_adapter_lora_free(handle);
        _model?.DangerousRelease();
        _model = null;
        return true;
    }
}
