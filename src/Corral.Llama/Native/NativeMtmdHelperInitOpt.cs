using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct mtmd_helper_init_opt</c> (mtmd-helper.h), passed by value to the bitmap helpers.</summary>
[NativeStruct("mtmd_helper_init_opt")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeMtmdHelperInitOpt
{
    public NativeMtmdHelperVideoInitParams video_params;
}
