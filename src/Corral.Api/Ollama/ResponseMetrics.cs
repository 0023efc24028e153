using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>
/// The timings and counts a generate or chat response ends with (Ollama's embedded <c>Metrics</c> struct), declared
/// once for both. Go writes an embedded struct's fields where the struct sits in the outer one: the orders below put
/// them after a response's own fields, and a generate response moves the fields Go writes after them to
/// <see cref="AfterMetrics"/>.
/// </summary>
public abstract class ResponseMetrics
{
    /// <summary>Order of the fields a response writes after the metrics.</summary>
    public const int AfterMetrics = 200;

    private const int Metrics = 100;

    [JsonPropertyName("total_duration")]
    [JsonPropertyOrder(Metrics + 1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long TotalDuration { get; set; }

    [JsonPropertyName("load_duration")]
    [JsonPropertyOrder(Metrics + 2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long LoadDuration { get; set; }

    [JsonPropertyName("prompt_eval_count")]
    [JsonPropertyOrder(Metrics + 3)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int PromptEvalCount { get; set; }

    [JsonPropertyName("prompt_eval_duration")]
    [JsonPropertyOrder(Metrics + 4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long PromptEvalDuration { get; set; }

    [JsonPropertyName("eval_count")]
    [JsonPropertyOrder(Metrics + 5)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int EvalCount { get; set; }

    [JsonPropertyName("eval_duration")]
    [JsonPropertyOrder(Metrics + 6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long EvalDuration { get; set; }
}
