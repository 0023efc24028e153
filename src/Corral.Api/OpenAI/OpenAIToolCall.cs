using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>A tool call; arguments are a JSON <em>string</em> in OpenAI's format.</summary>
public sealed class OpenAIToolCall
{
    /// <summary>Position in the list; written in streamed deltas.</summary>
    [JsonPropertyName("index")]
    public int? Index { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>"function"; null (left out) in a streamed continuation delta.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; } = "function";

    [JsonPropertyName("function")]
    public OpenAIFunctionCall Function { get; set; } = new();
}
