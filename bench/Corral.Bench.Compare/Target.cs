namespace Corral.Bench.Compare;

/// <summary>One side of the comparison: its name in the tables and its clients.</summary>
internal sealed record Target(string Name, CompletionClient Completions, EmbeddingClient? Embeddings);
