using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>One choice of a completion (<c>message</c>) or of a chunk (<c>delta</c>).</summary>
public sealed class ChatChoice
{
    [JsonPropertyName("index")]
    public int Index { get; set; }

    [JsonPropertyName("message")]
    public ChatMessage? Message { get; set; }

    [JsonPropertyName("delta")]
    public ChatMessage? Delta { get; set; }

    /// <summary>"stop", "length", "tool_calls"; null (written) until the last chunk.</summary>
    [JsonPropertyName("finish_reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; set; }

    [JsonPropertyName("logprobs")]
    public ChatLogprobs? Logprobs { get; set; }
}
