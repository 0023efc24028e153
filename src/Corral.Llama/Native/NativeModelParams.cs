using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_model_params</c>; field names are the C names (ABI test).</summary>
[NativeStruct("llama_model_params")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeModelParams
{
    public nint devices;
    public nint tensor_buft_overrides;
    public int n_gpu_layers;
    public NativeSplitMode split_mode;
    public NativeLoadMode load_mode;
    public NativeLazyMode lazy_mode;
    public int main_gpu;
    public nint tensor_split;
    /// <summary><c>bool (*)(float progress, void * user_data)</c>.</summary>
    public nint progress_callback;
    public nint progress_callback_user_data;
    public nint kv_overrides;
    public CBool vocab_only;
    public CBool check_tensors;
    public CBool use_extra_bufts;
    public CBool no_host;
    public CBool no_alloc;
    public CBool load_mtp;
}
