using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Answer of <c>/v1/embeddings</c> (<c>object</c> = "list").</summary>
public sealed class EmbeddingsResponse
{
    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "list";

    [JsonPropertyName("data")]
    public IReadOnlyList<EmbeddingData> Data { get; set; } = [];

    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("usage")]
    public EmbeddingsUsage? Usage { get; set; }
}
