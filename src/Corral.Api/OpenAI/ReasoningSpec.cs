using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary><c>reasoning</c>: <c>{"effort": "minimal"|"low"|"medium"|"high"|"xhigh"|"max"|"none"}</c>.</summary>
public sealed class ReasoningSpec
{
    [JsonPropertyName("effort")]
    public string? Effort { get; set; }
}
