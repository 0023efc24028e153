using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Answer of <c>GET /api/version</c>.</summary>
public sealed class VersionResponse
{
    [JsonPropertyName("version")]
    public string Version { get; set; } = string.Empty;
}
