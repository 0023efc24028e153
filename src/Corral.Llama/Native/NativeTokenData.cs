using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_token_data</c> (for llama_sampler_apply on custom candidate sets).</summary>
[NativeStruct("llama_token_data")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeTokenData
{
    public int id;
    public float logit;
    public float p;
}
