using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>A message object: the non-streaming answer, and the snapshot in a stream's message_start.</summary>
public sealed class MessageResponse
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("type")]
    public string Type { get; set; } = "message";

    [JsonPropertyName("role")]
    public string Role { get; set; } = "assistant";

    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("content")]
    public IReadOnlyList<ContentBlock> Content { get; set; } = [];

    [JsonPropertyName("stop_reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopReason { get; set; }

    [JsonPropertyName("stop_sequence")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopSequence { get; set; }

    [JsonPropertyName("usage")]
    public MessageUsage Usage { get; set; } = new();
}
