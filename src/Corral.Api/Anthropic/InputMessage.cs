using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>One turn of the conversation: role "user" or "assistant", content a string or blocks.</summary>
public sealed class InputMessage
{
    [JsonPropertyName("role")]
    public string Role { get; set; } = string.Empty;

    [JsonPropertyName("content")]
    public MessageContent Content { get; set; } = new(string.Empty);
}
