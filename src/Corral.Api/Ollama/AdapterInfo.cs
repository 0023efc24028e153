using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>
/// One LoRA adapter of a model in <c>/api/show</c> (a Corral extension): <see cref="Id"/> is what a request's
/// <c>lora</c> list names it by. llama.cpp scales it by a request's scale (1 unless the request names one) × alpha / rank.
/// </summary>
public sealed class AdapterInfo
{
    [JsonPropertyName("id")]
    public int Id { get; set; }

    [JsonPropertyName("digest")]
    public string Digest { get; set; } = string.Empty;

    /// <summary>adapter.lora.alpha, when the adapter has one.</summary>
    [JsonPropertyName("alpha")]
    public float? Alpha { get; set; }

    /// <summary>The rank of its first LoRA pair.</summary>
    [JsonPropertyName("rank")]
    public long? Rank { get; set; }

    /// <summary>How many of the model's weights it adapts.</summary>
    [JsonPropertyName("weights")]
    public int Weights { get; set; }
}
