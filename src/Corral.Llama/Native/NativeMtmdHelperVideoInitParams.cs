using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>
/// Mirror of <c>struct mtmd_helper_video_init_params</c> (mtmd-helper.h). Only needed as part of
/// <see cref="NativeMtmdHelperInitOpt"/>; Corral's libmtmd is built without video support.
/// </summary>
[NativeStruct("mtmd_helper_video_init_params")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeMtmdHelperVideoInitParams
{
    public float fps_target;
    public nint ffmpeg_bin_dir;
    public long timestamp_interval_ms;
}
