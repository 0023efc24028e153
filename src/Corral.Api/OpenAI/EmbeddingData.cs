using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>One vector; set <see cref="Embedding"/> for "float" or <see cref="EmbeddingBase64"/> for "base64".</summary>
public sealed class EmbeddingData
{
    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "embedding";

    [JsonIgnore]
    public float[]? Embedding { get; set; }

    [JsonIgnore]
    public string? EmbeddingBase64 { get; set; }

    /// <summary>What goes on the wire: the float array, or the base64 string when one is set.</summary>
    [JsonPropertyName("embedding")]
    [JsonInclude]
    internal EmbeddingValue Value
    {
        get => new(Embedding, EmbeddingBase64);
        set => (Embedding, EmbeddingBase64) = (value.Floats, value.Base64);
    }

    [JsonPropertyName("index")]
    public int Index { get; set; }
}
