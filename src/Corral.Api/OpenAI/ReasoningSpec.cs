using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary><c>reasoning</c>: <c>{"effort": "low"|"medium"|"high"|"none"}</c>.</summary>
public sealed class ReasoningSpec
{
    [JsonPropertyName("effort")]
    public string? Effort { get; set; }
}
