using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>A tool: <c>{"type":"function","name","description","parameters","strict"}</c> (flat, unlike chat's nested <c>function</c>).</summary>
public sealed class ResponsesTool
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "function";

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("description")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Description { get; set; }

    [JsonPropertyName("parameters")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonElement? Parameters { get; set; }

    [JsonPropertyName("strict")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool? Strict { get; set; }
}
