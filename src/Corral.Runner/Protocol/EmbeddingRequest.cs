using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>A batch of inputs to embed together.</summary>
public sealed class EmbeddingRequest
{
    [JsonPropertyName("inputs")][JsonConverter(typeof(SegmentedStringArrayConverter))] public string[] Inputs { get; set; } = [];

    /// <summary>Truncate inputs longer than the context (true) or fail (false).</summary>
    [JsonPropertyName("truncate")] public bool Truncate { get; set; } = true;

    /// <summary>L2-normalise each vector (/api/embed does; legacy /api/embeddings does not).</summary>
    [JsonPropertyName("normalize")] public bool Normalize { get; set; } = true;
}
