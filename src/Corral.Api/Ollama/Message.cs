using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>A chat message. <c>role</c> is lower-cased on the way in, as Ollama does.</summary>
public sealed class Message
{
    /// <summary>"system", "user", "assistant" or "tool".</summary>
    [JsonPropertyName("role")]
    public string Role { get; set => field = ToLowerIfNeeded(value); } = string.Empty;

    [JsonPropertyName("content")]
    public string Content { get; set; } = string.Empty;

    [JsonPropertyName("thinking")]
    public string? Thinking { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("images")]
    public IReadOnlyList<byte[]>? Images { get; set => field = OmitEmpty.List(value); }

    [JsonPropertyName("tool_calls")]
    public IReadOnlyList<ToolCall>? ToolCalls { get; set => field = OmitEmpty.List(value); }

    /// <summary>On a "tool" message: the function whose result this is.</summary>
    [JsonPropertyName("tool_name")]
    public string? ToolName { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("tool_call_id")]
    public string? ToolCallId { get; set => field = OmitEmpty.Text(value); }

    // Only allocates when the role really has upper-case letters.
    private static string ToLowerIfNeeded(string value)
    {
        foreach (var c in value)
        {
            if (char.IsUpper(c))
            {
                return value.ToLowerInvariant();
            }
        }

        return value;
    }
}
