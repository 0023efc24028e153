using System.Text.Json.Serialization;

namespace Corral.Api.Rerank;

/// <summary>Answer of the rerank routes, in llama-server's (Jina-compatible) shape; results best first.</summary>
public sealed class RerankResponse
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "list";

    [JsonPropertyName("usage")]
    public RerankUsage Usage { get; set; } = new();

    [JsonPropertyName("results")]
    public IReadOnlyList<RerankResult> Results { get; set; } = [];
}
