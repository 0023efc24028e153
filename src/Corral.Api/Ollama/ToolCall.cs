using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>A function call the model made: <c>{"function": {"index", "name", "arguments"}}</c>.</summary>
public sealed class ToolCall
{
    [JsonPropertyName("id")]
    public string? Id { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("function")]
    public ToolCallFunction Function { get; set; } = new();
}
