using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>One tensor in a verbose <c>/api/show</c>.</summary>
public sealed class TensorInfo
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>ggml type name ("Q4_K", "F16", ...).</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("shape")]
    public IReadOnlyList<ulong> Shape { get; set; } = [];
}
