using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_perf_sampler_data</c>.</summary>
[NativeStruct("llama_perf_sampler_data")]
[StructLayout(LayoutKind.Sequential)]
public struct NativePerfSamplerData
{
    public double t_sample_ms;
    public int n_sample;
}
