using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_token_data_array</c>.</summary>
[NativeStruct("llama_token_data_array")]
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NativeTokenDataArray
{
    public NativeTokenData* data;
    public nuint size;
    public long selected;
    public CBool sorted;
}
