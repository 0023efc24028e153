using System.Text.Json.Serialization;

namespace Corral.Api.Tokenize;

/// <summary>Answer of <c>POST /api/tokenize</c>.</summary>
public sealed class TokenizeResponse
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("tokens")]
    public int[] Tokens { get; set; } = [];
}
