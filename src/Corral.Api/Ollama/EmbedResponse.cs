using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Answer of <c>/api/embed</c>: one (normalised) vector per input.</summary>
public sealed class EmbedResponse
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("embeddings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<float[]> Embeddings { get; set; } = [];

    [JsonPropertyName("total_duration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long TotalDuration { get; set; }

    [JsonPropertyName("load_duration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long LoadDuration { get; set; }

    [JsonPropertyName("prompt_eval_count")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int PromptEvalCount { get; set; }
}
