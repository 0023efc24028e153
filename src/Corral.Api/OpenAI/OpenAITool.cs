using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>A tool definition: <c>{"type":"function","function":{name, description, parameters}}</c>.</summary>
public sealed class OpenAITool
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "function";

    [JsonPropertyName("function")]
    public OpenAIFunction Function { get; set; } = new();
}
