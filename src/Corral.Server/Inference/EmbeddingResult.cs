namespace Corral.Server.Inference;

/// <summary>Vectors in input order, the tokens read, and how long loading the model took (ns).</summary>
public sealed record EmbeddingResult(IReadOnlyList<float[]> Embeddings, int PromptEvalCount, long LoadDuration);
