using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>
/// Mirror of <c>struct mtmd_helper_bitmap_wrapper</c> (mtmd-helper.h), returned by value from
/// mtmd_helper_bitmap_init_from_buf: the bitmap (null on failure) and a video context (always
/// null without video support, freed with mtmd_helper_video_free otherwise).
/// </summary>
[NativeStruct("mtmd_helper_bitmap_wrapper")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeMtmdHelperBitmapWrapper
{
    public nint bitmap;
    public nint video_ctx;
}
