namespace Corral.Bench.Compare;

/// <summary>One side of the comparison: its name in the tables, its clients and its processes (for CPU per token).</summary>
internal sealed record Target(string Name, CompletionClient Completions, EmbeddingClient? Embeddings, CpuProbe Cpu);
