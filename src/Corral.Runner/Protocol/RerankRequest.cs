using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>Score every document against one query (a reranker model: rank pooling).</summary>
public sealed class RerankRequest
{
    [JsonPropertyName("query")][JsonConverter(typeof(SegmentedStringConverter))] public string Query { get; set; } = string.Empty;

    [JsonPropertyName("documents")][JsonConverter(typeof(SegmentedStringArrayConverter))] public string[] Documents { get; set; } = [];

    /// <summary>Cut a (query, document) pair longer than the context (true) or fail (false).</summary>
    [JsonPropertyName("truncate")] public bool Truncate { get; set; } = true;
}
