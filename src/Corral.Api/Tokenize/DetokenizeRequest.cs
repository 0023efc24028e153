using System.Text.Json.Serialization;
using Corral.Api.Ollama;

namespace Corral.Api.Tokenize;

/// <summary>Body of <c>POST /api/detokenize</c>: token ids in, their text out (special tokens written as text).</summary>
public sealed class DetokenizeRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("tokens")]
    public int[]? Tokens { get; set; }

    [JsonPropertyName("keep_alive")]
    public KeepAlive? KeepAlive { get; set; }

    [JsonPropertyName("options")]
    public ModelOptions? Options { get; set; }
}
