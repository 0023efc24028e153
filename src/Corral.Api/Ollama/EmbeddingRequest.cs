using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Body of the legacy <c>POST /api/embeddings</c> (one prompt, one unnormalised vector).</summary>
public sealed class EmbeddingRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("prompt")]
    public string Prompt { get; set; } = string.Empty;

    [JsonPropertyName("keep_alive")]
    public KeepAlive? KeepAlive { get; set; }

    [JsonPropertyName("options")]
    public ModelOptions? Options { get; set; }
}
