using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>A client tool: <c>{name, description, input_schema}</c>; <see cref="Type"/> is null or "custom" for those.</summary>
public sealed class AnthropicTool
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("input_schema")]
    public JsonElement? InputSchema { get; set; }
}
