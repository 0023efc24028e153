using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_batch</c>, passed by value to llama_decode/llama_encode.</summary>
[NativeStruct("llama_batch")]
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NativeBatch
{
    public int n_tokens;
    public int* token;
    public float* embd;
    public int* pos;
    public int* n_seq_id;
    public int** seq_id;
    public sbyte* logits;
}
