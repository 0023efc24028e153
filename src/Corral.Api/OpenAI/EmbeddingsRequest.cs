using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>
/// Body of <c>POST /v1/embeddings</c>. <c>input</c> may be a string, an array of strings, an array of token
/// ids or an array of token-id arrays, so it stays raw JSON; the route decides what it accepts.
/// </summary>
public sealed class EmbeddingsRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("input")]
    public JsonElement Input { get; set; }

    /// <summary>"float" (default) or "base64" (little-endian float32 bytes).</summary>
    [JsonPropertyName("encoding_format")]
    public string? EncodingFormat { get; set; }

    [JsonPropertyName("dimensions")]
    public int? Dimensions { get; set; }

    [JsonPropertyName("user")]
    public string? User { get; set; }
}
