using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Native;

/// <summary>One NDJSON line of <c>/api/generate</c> (or the whole answer when not streaming).</summary>
public sealed class GenerateResponse
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    [JsonPropertyName("response")]
    public string Response { get; set; } = string.Empty;

    [JsonPropertyName("thinking")]
    public string? Thinking { get; set => field = OmitEmpty.String(value); }

    [JsonPropertyName("done")]
    public bool Done { get; set; }

    /// <summary>"stop", "length", "load", "unload".</summary>
    [JsonPropertyName("done_reason")]
    public string? DoneReason { get; set => field = OmitEmpty.String(value); }

    [JsonPropertyName("context")]
    public IReadOnlyList<int>? Context { get; set => field = OmitEmpty.List(value); }

    [JsonPropertyName("total_duration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long TotalDuration { get; set; }

    [JsonPropertyName("load_duration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long LoadDuration { get; set; }

    [JsonPropertyName("prompt_eval_count")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int PromptEvalCount { get; set; }

    [JsonPropertyName("prompt_eval_duration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long PromptEvalDuration { get; set; }

    [JsonPropertyName("eval_count")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int EvalCount { get; set; }

    [JsonPropertyName("eval_duration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long EvalDuration { get; set; }

    [JsonPropertyName("tool_calls")]
    public IReadOnlyList<ToolCall>? ToolCalls { get; set => field = OmitEmpty.List(value); }

    [JsonPropertyName("_debug_info")]
    public DebugInfo? DebugInfo { get; set; }

    [JsonPropertyName("logprobs")]
    public IReadOnlyList<Logprob>? Logprobs { get; set => field = OmitEmpty.List(value); }
}
