namespace Corral.Llama;

/// <summary>Timing counters of a sampler chain (<c>llama_perf_sampler_data</c>).</summary>
public readonly record struct LlamaSamplerPerformance(double SampleMs, int Samples);
