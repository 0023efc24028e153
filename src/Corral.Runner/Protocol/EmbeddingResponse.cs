using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

public sealed class EmbeddingResponse
{
    [JsonPropertyName("embeddings")] public float[][] Embeddings { get; set; } = [];
    [JsonPropertyName("prompt_eval_count")] public int PromptEvalCount { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }

    /// <summary>The error is the request's fault (too long with truncate off, wrong kind of model): a 400, not a 500.</summary>
    [JsonPropertyName("refused")] public bool Refused { get; set; }
}
