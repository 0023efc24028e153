using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

public sealed class ResponseOutputTokensDetails
{
    [JsonPropertyName("reasoning_tokens")]
    public int ReasoningTokens { get; set; }
}
