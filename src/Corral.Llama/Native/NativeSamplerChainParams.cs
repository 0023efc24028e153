using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_sampler_chain_params</c>.</summary>
[NativeStruct("llama_sampler_chain_params")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeSamplerChainParams
{
    public CBool no_perf;
}
