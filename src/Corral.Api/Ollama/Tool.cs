using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>A tool offered to the model: <c>{"type": "function", "function": {...}}</c>.</summary>
public sealed class Tool
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "function";

    [JsonPropertyName("items")]
    public JsonElement? Items { get; set; }

    [JsonPropertyName("function")]
    public ToolFunction Function { get; set; } = new();
}
