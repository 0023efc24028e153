using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>One loaded model in <see cref="ProcessResponse"/>.</summary>
public sealed class ProcessModelResponse
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    /// <summary>Total bytes the loaded model uses (weights, KV cache, buffers).</summary>
    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("digest")]
    public string Digest { get; set; } = string.Empty;

    [JsonPropertyName("details")]
    public ModelDetails Details { get; set; } = new();

    [JsonPropertyName("expires_at")]
    public DateTimeOffset ExpiresAt { get; set; }

    [JsonPropertyName("size_vram")]
    public long SizeVram { get; set; }

    [JsonPropertyName("context_length")]
    public int ContextLength { get; set; }
}
