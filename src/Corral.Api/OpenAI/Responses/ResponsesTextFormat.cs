using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary><c>text.format</c>: <c>{"type":"text"}</c>, <c>{"type":"json_object"}</c> or <c>{"type":"json_schema","name","schema","strict"}</c> (flat).</summary>
public sealed class ResponsesTextFormat
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "text";

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("schema")]
    public JsonElement? Schema { get; set; }

    [JsonPropertyName("strict")]
    public bool? Strict { get; set; }
}
