using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_logit_bias</c>.</summary>
[NativeStruct("llama_logit_bias")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeLogitBias
{
    public int token;
    public float bias;
}
