using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>
/// The data of one streaming event; <see cref="Type"/> is also the SSE event name. Which fields are set
/// depends on the type: message_start {message}, content_block_start {index, content_block},
/// content_block_delta {index, delta}, content_block_stop {index}, message_delta {delta, usage},
/// message_stop and ping {}.
/// </summary>
public sealed class StreamEvent
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("message")]
    public MessageResponse? Message { get; set; }

    [JsonPropertyName("index")]
    public int? Index { get; set; }

    [JsonPropertyName("content_block")]
    public ContentBlock? ContentBlock { get; set; }

    [JsonPropertyName("delta")]
    public StreamDelta? Delta { get; set; }

    [JsonPropertyName("usage")]
    public MessageUsage? Usage { get; set; }
}
