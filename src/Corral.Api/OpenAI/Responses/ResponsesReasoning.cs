using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary><c>reasoning</c>: <c>{"effort": "none"|"minimal"|"low"|"medium"|"high"|"xhigh"|"max", "summary": "auto"|"concise"|"detailed"}</c>.</summary>
public sealed class ResponsesReasoning
{
    [JsonPropertyName("effort")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Effort { get; set; }

    [JsonPropertyName("summary")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Summary { get; set; }

    /// <summary>The older name of <see cref="Summary"/>.</summary>
    [JsonPropertyName("generate_summary")]
    public string? GenerateSummary { get; set; }
}
