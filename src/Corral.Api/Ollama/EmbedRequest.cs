using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>Body of <c>POST /api/embed</c>; <c>input</c> is a string or an array of strings.</summary>
public sealed class EmbedRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("input")]
    public StringOrArray? Input { get; set; }

    [JsonPropertyName("keep_alive")]
    public KeepAlive? KeepAlive { get; set; }

    /// <summary>Null means true: cut inputs to the context length instead of failing.</summary>
    [JsonPropertyName("truncate")]
    public bool? Truncate { get; set; }

    /// <summary>Cut each embedding to this many dimensions (0 = all).</summary>
    [JsonPropertyName("dimensions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Dimensions { get; set; }

    [JsonPropertyName("options")]
    public ModelOptions? Options { get; set; }
}
