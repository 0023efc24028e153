using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Name and arguments of a tool call. Arguments keep their insertion order (JsonObject is ordered).</summary>
public sealed class ToolCallFunction
{
    /// <summary>Position of this call in the message's list (always written, as current Ollama does).</summary>
    [JsonPropertyName("index")]
    public int Index { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("arguments")]
    public JsonObject Arguments { get; set; } = [];
}
