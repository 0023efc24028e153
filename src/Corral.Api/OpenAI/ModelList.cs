using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Answer of <c>GET /v1/models</c>.</summary>
public sealed class ModelList
{
    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "list";

    [JsonPropertyName("data")]
    public IReadOnlyList<ModelObject> Data { get; set; } = [];
}
