using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_context_params</c>; field names are the C names (ABI test).</summary>
[NativeStruct("llama_context_params")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeContextParams
{
    public uint n_ctx;
    public uint n_batch;
    public uint n_ubatch;
    public uint n_seq_max;
    public uint n_rs_seq;
    public uint n_outputs_max;
    public uint n_outputs_max_per_seq;
    public int n_threads;
    public int n_threads_batch;
    public int ctx_type;
    public int rope_scaling_type;
    public LlamaPoolingType pooling_type;
    public int attention_type;
    public LlamaFlashAttention flash_attn_type;
    public float rope_freq_base;
    public float rope_freq_scale;
    public float yarn_ext_factor;
    public float yarn_attn_factor;
    public float yarn_beta_fast;
    public float yarn_beta_slow;
    public uint yarn_orig_ctx;
    public float defrag_thold;
    public nint cb_eval;
    public nint cb_eval_user_data;
    public int type_k; // enum ggml_type (GgmlType): an int here, as LibraryImport marshals only this assembly's enums
    public int type_v; // enum ggml_type (GgmlType): an int here, as LibraryImport marshals only this assembly's enums
    public nint abort_callback;
    public nint abort_callback_data;
    public CBool embeddings;
    public CBool offload_kqv;
    public CBool no_perf;
    public CBool op_offload;
    public CBool swa_full;
    public CBool kv_unified;
    public nint samplers;
    public nuint n_samplers;
    public nint ctx_other;
}
