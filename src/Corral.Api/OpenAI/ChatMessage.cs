using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>An OpenAI chat message; <c>content</c> is a string or an array of content parts.</summary>
public sealed class ChatMessage
{
    /// <summary>Null in a streamed delta after the first one (left out of the JSON).</summary>
    [JsonPropertyName("role")]
    public string? Role { get; set; }

    /// <summary>Always written: null for an assistant message that only calls tools.</summary>
    [JsonPropertyName("content")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ChatContent? Content { get; set; }

    /// <summary>Ollama's extension carrying the model's thinking text.</summary>
    [JsonPropertyName("reasoning")]
    public string? Reasoning { get; set; }

    /// <summary>The same thinking text under the name other OpenAI-compatible servers use.</summary>
    [JsonPropertyName("reasoning_content")]
    public string? ReasoningContent { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("tool_calls")]
    public IReadOnlyList<OpenAIToolCall>? ToolCalls { get; set; }

    [JsonPropertyName("tool_call_id")]
    public string? ToolCallId { get; set; }
}
