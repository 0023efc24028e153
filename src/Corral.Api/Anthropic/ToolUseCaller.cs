using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>
/// Who invoked a tool_use block: always {"type": "direct"} here (the model itself, no server-side tool).
/// Anthropic writes it on every tool_use block, and the official SDKs require it.
/// </summary>
public sealed class ToolUseCaller
{
    public static ToolUseCaller Direct { get; } = new() { Type = "direct" };

    [JsonPropertyName("type")]
    public string Type { get; set; } = "direct";
}
