using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct mtmd_context_params</c> (mtmd.h); field names are the C names (ABI test).</summary>
[NativeStruct("mtmd_context_params")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeMtmdContextParams
{
    public CBool use_gpu;
    public nint device;
    public CBool print_timings;
    public int n_threads;
    public nint image_marker;
    public nint media_marker;
    public LlamaFlashAttention flash_attn_type;
    public CBool warmup;
    public int image_min_tokens;
    public int image_max_tokens;
    public nint cb_eval;
    public nint cb_eval_user_data;
    public int batch_max_tokens;
    public nint progress_callback;
    public nint progress_callback_user_data;
}
