using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

public sealed class EmbeddingResponse
{
    [JsonPropertyName("embeddings")] public float[][] Embeddings { get; set; } = [];
    [JsonPropertyName("prompt_eval_count")] public int PromptEvalCount { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
}
