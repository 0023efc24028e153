using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>
/// A content_block_delta's delta (text_delta {text}, thinking_delta {thinking}, input_json_delta
/// {partial_json}, signature_delta {signature}) or a message_delta's delta {stop_reason, stop_sequence}.
/// </summary>
public sealed class StreamDelta
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("thinking")]
    public string? Thinking { get; set; }

    [JsonPropertyName("partial_json")]
    public string? PartialJson { get; set; }

    [JsonPropertyName("signature")]
    public string? Signature { get; set; }

    [JsonPropertyName("stop_reason")]
    public string? StopReason { get; set; }

    [JsonPropertyName("stop_sequence")]
    public string? StopSequence { get; set; }
}
