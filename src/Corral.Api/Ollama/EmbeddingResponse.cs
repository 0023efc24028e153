using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Answer of the legacy <c>/api/embeddings</c>.</summary>
public sealed class EmbeddingResponse
{
    [JsonPropertyName("embedding")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double[] Embedding { get; set; } = [];
}
