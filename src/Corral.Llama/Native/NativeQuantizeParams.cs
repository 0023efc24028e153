using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_model_quantize_params</c>.</summary>
[NativeStruct("llama_model_quantize_params")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeQuantizeParams
{
    public int nthread;
    public LlamaFileType ftype;
    public GgmlType output_tensor_type;
    public GgmlType token_embedding_type;
    public CBool allow_requantize;
    public CBool quantize_output_tensor;
    public CBool only_copy;
    public CBool pure;
    public CBool keep_split;
    public CBool dry_run;
    public nint imatrix;
    public nint kv_overrides;
    public nint tt_overrides;
    public nint prune_layers;
    public nuint max_buf_size;
}
