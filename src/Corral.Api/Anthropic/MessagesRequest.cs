using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>Body of <c>POST /v1/messages</c> (and of <c>/v1/messages/count_tokens</c>, which ignores max_tokens).</summary>
public sealed class MessagesRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    /// <summary>Required by /v1/messages; null when the client left it out.</summary>
    [JsonPropertyName("max_tokens")]
    public int? MaxTokens { get; set; }

    /// <summary>A string or an array of text blocks.</summary>
    [JsonPropertyName("system")]
    public MessageContent? System { get; set; }

    [JsonPropertyName("messages")]
    public IReadOnlyList<InputMessage> Messages { get; set; } = [];

    [JsonPropertyName("tools")]
    public IReadOnlyList<AnthropicTool>? Tools { get; set; }

    [JsonPropertyName("tool_choice")]
    public ToolChoice? ToolChoice { get; set; }

    [JsonPropertyName("stop_sequences")]
    public IReadOnlyList<string>? StopSequences { get; set; }

    [JsonPropertyName("temperature")]
    public float? Temperature { get; set; }

    [JsonPropertyName("top_p")]
    public float? TopP { get; set; }

    [JsonPropertyName("top_k")]
    public int? TopK { get; set; }

    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Stream { get; set; }

    [JsonPropertyName("thinking")]
    public ThinkingConfig? Thinking { get; set; }

    /// <summary>Accepted and ignored (user_id is for Anthropic's abuse detection).</summary>
    [JsonPropertyName("metadata")]
    public JsonElement? Metadata { get; set; }
}
