using System.Text.Json.Serialization;

namespace Corral.Api.Rerank;

public sealed class RerankResult
{
    /// <summary>The document's position in the request.</summary>
    [JsonPropertyName("index")]
    public int Index { get; set; }

    /// <summary>The model's raw relevance logit (higher is more relevant; not squashed to 0..1, as llama-server).</summary>
    [JsonPropertyName("relevance_score")]
    public float RelevanceScore { get; set; }

    /// <summary>Only with <c>return_documents</c>.</summary>
    [JsonPropertyName("document")]
    public RerankDocument? Document { get; set; }
}
