using Corral.Llama.Native;
using Microsoft.Win32.SafeHandles;

namespace Corral.Llama.Multimodal;

/// <summary>Owns a <c>mtmd_bitmap*</c>; frees it with mtmd_bitmap_free.</summary>
public sealed class SafeMtmdBitmapHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeMtmdBitmapHandle() : base(ownsHandle: true)
    {
    }

    internal SafeMtmdBitmapHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        MtmdNative.mtmd_bitmap_free(handle);
        return true;
    }
}
