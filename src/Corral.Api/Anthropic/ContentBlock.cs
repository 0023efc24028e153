using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>
/// A content block, read and written: text {text}, image {source}, thinking {thinking, signature},
/// tool_use {id, name, input}, tool_result {tool_use_id, content, is_error}. Fields a type doesn't use stay null.
/// </summary>
public sealed class ContentBlock
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("source")]
    public ImageSource? Source { get; set; }

    [JsonPropertyName("thinking")]
    public string? Thinking { get; set; }

    [JsonPropertyName("signature")]
    public string? Signature { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("input")]
    public JsonElement? Input { get; set; }

    /// <summary>A tool_use block's caller (written on every tool_use Corral produces; ignored when read).</summary>
    [JsonPropertyName("caller")]
    public ToolUseCaller? Caller { get; set; }

    [JsonPropertyName("tool_use_id")]
    public string? ToolUseId { get; set; }

    /// <summary>A tool_result's content: a string or blocks (text, image).</summary>
    [JsonPropertyName("content")]
    public MessageContent? Content { get; set; }

    [JsonPropertyName("is_error")]
    public bool? IsError { get; set; }
}
