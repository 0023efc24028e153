using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Answer of <c>GET /api/ps</c>: the models now loaded.</summary>
public sealed class ProcessResponse
{
    [JsonPropertyName("models")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<ProcessModelResponse> Models { get; set; } = [];
}
