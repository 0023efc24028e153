using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary><c>{"type": "auto"|"any"|"tool"|"none", "name": ...}</c>.</summary>
public sealed class ToolChoice
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "auto";

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("disable_parallel_tool_use")]
    public bool? DisableParallelToolUse { get; set; }
}
