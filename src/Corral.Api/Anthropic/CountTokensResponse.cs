using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>Answer of <c>POST /v1/messages/count_tokens</c>.</summary>
public sealed class CountTokensResponse
{
    [JsonPropertyName("input_tokens")]
    public int InputTokens { get; set; }
}
