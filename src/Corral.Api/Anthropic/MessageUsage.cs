using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>Token counts; the prompt's total is input_tokens + cache_read_input_tokens. In a stream's message_delta both are final; message_start has the prompt count as far as known.</summary>
public sealed class MessageUsage
{
    [JsonPropertyName("input_tokens")]
    public int InputTokens { get; set; }

    /// <summary>Prompt tokens reused from the runner slot's cache; as in Anthropic's API, not part of <see cref="InputTokens"/>.</summary>
    [JsonPropertyName("cache_read_input_tokens")]
    public int CacheReadInputTokens { get; set; }

    [JsonPropertyName("output_tokens")]
    public int OutputTokens { get; set; }
}
