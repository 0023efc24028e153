using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>
/// One entry of a request's <c>lora</c> list (llama-server's shape, a Corral extension): the scale of the model's
/// adapter <see cref="Id"/> (its index among the model's ADAPTERs) for this request. Adapters a list leaves out get
/// scale 0, as in llama-server; a request without the list uses every adapter at scale 1.
/// </summary>
public sealed class LoraScale
{
    [JsonPropertyName("id")]
    public int Id { get; set; }

    [JsonPropertyName("scale")]
    public float Scale { get; set; }
}
