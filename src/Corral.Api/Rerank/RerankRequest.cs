using System.Text.Json.Serialization;
using Corral.Api.Ollama;

namespace Corral.Api.Rerank;

/// <summary>
/// Body of <c>POST /api/rerank</c> and <c>POST /v1/rerank</c> (a Corral extension; llama-server's, Jina's
/// and Cohere's request shape): score each document's relevance to the query with a reranker model.
/// </summary>
public sealed class RerankRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("query")]
    public string? Query { get; set; }

    /// <summary>Strings; on read, Cohere's and Jina's <c>{"text": "..."}</c> objects are accepted too.</summary>
    [JsonPropertyName("documents")]
    [JsonConverter(typeof(RerankDocumentsJsonConverter))]
    public IReadOnlyList<string>? Documents { get; set; }

    /// <summary>Keep only the best this many results; null or 0 keeps all.</summary>
    [JsonPropertyName("top_n")]
    public int? TopN { get; set; }

    /// <summary>Include each result's document text (default false, as Cohere and llama-server).</summary>
    [JsonPropertyName("return_documents")]
    public bool? ReturnDocuments { get; set; }

    /// <summary>Null means true: cut a (query, document) pair to the context length instead of failing.</summary>
    [JsonPropertyName("truncate")]
    public bool? Truncate { get; set; }

    [JsonPropertyName("keep_alive")]
    public KeepAlive? KeepAlive { get; set; }

    [JsonPropertyName("options")]
    public ModelOptions? Options { get; set; }
}
