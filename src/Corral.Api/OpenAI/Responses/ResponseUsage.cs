using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>Token counts; <c>input_tokens</c> includes the prompt tokens reused from the cache (<c>cached_tokens</c>).</summary>
public sealed class ResponseUsage
{
    [JsonPropertyName("input_tokens")]
    public int InputTokens { get; set; }

    [JsonPropertyName("input_tokens_details")]
    public ResponseInputTokensDetails InputTokensDetails { get; set; } = new();

    [JsonPropertyName("output_tokens")]
    public int OutputTokens { get; set; }

    [JsonPropertyName("output_tokens_details")]
    public ResponseOutputTokensDetails OutputTokensDetails { get; set; } = new();

    [JsonPropertyName("total_tokens")]
    public int TotalTokens { get; set; }
}
