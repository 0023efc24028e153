using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

public sealed class ResponseInputTokensDetails
{
    [JsonPropertyName("cached_tokens")]
    public int CachedTokens { get; set; }
}
