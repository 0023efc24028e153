using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>Name, description and JSON-schema parameters of a tool (the schema is kept as raw, ordered JSON).</summary>
public sealed class ToolFunction
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("description")]
    public string? Description { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("parameters")]
    public JsonElement? Parameters { get; set; }
}
