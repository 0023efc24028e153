using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Function definition of a tool.</summary>
public sealed class OpenAIFunction
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("parameters")]
    public JsonElement? Parameters { get; set; }

    [JsonPropertyName("strict")]
    public bool? Strict { get; set; }
}
