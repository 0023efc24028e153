using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>One local model in <see cref="ListResponse"/>.</summary>
public sealed class ListModelResponse
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    /// <summary>Manifest file time, written with the local offset as Ollama does.</summary>
    [JsonPropertyName("modified_at")]
    public DateTimeOffset ModifiedAt { get; set; }

    [JsonPropertyName("size")]
    public long Size { get; set; }

    /// <summary>Hex sha256 of the manifest (no "sha256:" prefix).</summary>
    [JsonPropertyName("digest")]
    public string Digest { get; set; } = string.Empty;

    [JsonPropertyName("details")]
    public ModelDetails Details { get; set; } = new();

    /// <summary>What the model can do ("completion", "tools", "vision", ...), as /api/show says; left out when unknown.</summary>
    [JsonPropertyName("capabilities")]
    public IReadOnlyList<string>? Capabilities { get; set; }
}
