using System.Text.Json.Serialization;

namespace Corral.Api.Rerank;

/// <summary>Tokens of all (query, document) pairs; a reranker generates nothing, so total = prompt.</summary>
public sealed class RerankUsage
{
    [JsonPropertyName("prompt_tokens")]
    public int PromptTokens { get; set; }

    [JsonPropertyName("total_tokens")]
    public int TotalTokens { get; set; }
}
