using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Answer of <c>GET /api/tags</c>.</summary>
public sealed class ListResponse
{
    [JsonPropertyName("models")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<ListModelResponse> Models { get; set; } = [];
}
