using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>An image reference; Ollama accepts <c>data:image/...;base64,</c> URLs.</summary>
public sealed class ImageUrl
{
    [JsonPropertyName("url")]
    public string Url { get; set; } = string.Empty;

    [JsonPropertyName("detail")]
    public string? Detail { get; set; }
}
