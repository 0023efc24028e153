using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>Anthropic's error body (also the data of a stream's error event): <c>{"type":"error","error":{type, message}}</c>.</summary>
public sealed class AnthropicErrorResponse
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "error";

    [JsonPropertyName("error")]
    public AnthropicError Error { get; set; } = new();
}
