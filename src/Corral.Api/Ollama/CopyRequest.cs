using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Body of <c>POST /api/copy</c>.</summary>
public sealed class CopyRequest
{
    [JsonPropertyName("source")]
    public string Source { get; set; } = string.Empty;

    [JsonPropertyName("destination")]
    public string Destination { get; set; } = string.Empty;
}
