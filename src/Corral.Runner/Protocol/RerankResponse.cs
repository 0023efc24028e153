using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

public sealed class RerankResponse
{
    /// <summary>One relevance score per document, in the request's order (the classifier's first output, unnormalised).</summary>
    [JsonPropertyName("scores")] public float[] Scores { get; set; } = [];

    /// <summary>Tokens of every (query, document) pair of the request; a repeated document counts each time though it is evaluated once.</summary>
    [JsonPropertyName("prompt_eval_count")] public int PromptEvalCount { get; set; }

    [JsonPropertyName("error")] public string? Error { get; set; }

    /// <summary>The error is the request's fault (too long with truncate off, wrong kind of model): a 400, not a 500.</summary>
    [JsonPropertyName("refused")] public bool Refused { get; set; }
}
