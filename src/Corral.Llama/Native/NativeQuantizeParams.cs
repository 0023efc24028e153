using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_model_quantize_params</c>.</summary>
[NativeStruct("llama_model_quantize_params")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeQuantizeParams
{
    public int nthread;
    public LlamaFileType ftype;
    public int output_tensor_type; // enum ggml_type (GgmlType): an int here, as LibraryImport marshals only this assembly's enums
    public int token_embedding_type; // enum ggml_type (GgmlType): an int here, as LibraryImport marshals only this assembly's enums
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
