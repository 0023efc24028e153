using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Name and JSON-text arguments of a call.</summary>
public sealed class OpenAIFunctionCall
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("arguments")]
    public string Arguments { get; set; } = string.Empty;
}
