using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>
/// Model facts shown by list, show and ps. The six original fields are always written (Go has no omitempty there);
/// the two lengths, added in Ollama 0.33 and filled by /api/tags from the GGUF, are left out when unknown.
/// </summary>
public sealed class ModelDetails
{
    [JsonPropertyName("parent_model")]
    public string ParentModel { get; set; } = string.Empty;

    [JsonPropertyName("format")]
    public string Format { get; set; } = string.Empty;

    [JsonPropertyName("family")]
    public string Family { get; set; } = string.Empty;

    /// <summary>Written as null when unknown, like Ollama's nil slice.</summary>
    [JsonPropertyName("families")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<string>? Families { get; set; }

    [JsonPropertyName("parameter_size")]
    public string ParameterSize { get; set; } = string.Empty;

    [JsonPropertyName("quantization_level")]
    public string QuantizationLevel { get; set; } = string.Empty;

    /// <summary>The context length the model was trained for (<c>&lt;arch&gt;.context_length</c>); 0 = unknown.</summary>
    [JsonPropertyName("context_length")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ContextLength { get; set; }

    /// <summary>The model's embedding width (<c>&lt;arch&gt;.embedding_length</c>); 0 = unknown.</summary>
    [JsonPropertyName("embedding_length")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int EmbeddingLength { get; set; }
}
