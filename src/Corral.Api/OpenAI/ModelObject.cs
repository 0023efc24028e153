using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>A model in <c>/v1/models</c> (and <c>/v1/models/{id}</c>); Ollama sets owned_by to "library" or the namespace.</summary>
public sealed class ModelObject
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "model";

    [JsonPropertyName("created")]
    public long Created { get; set; }

    [JsonPropertyName("owned_by")]
    public string OwnedBy { get; set; } = "library";
}
