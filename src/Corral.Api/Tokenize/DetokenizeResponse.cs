using System.Text.Json.Serialization;

namespace Corral.Api.Tokenize;

/// <summary>Answer of <c>POST /api/detokenize</c>.</summary>
public sealed class DetokenizeResponse
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("content")]
    public string Content { get; set; } = string.Empty;
}
