using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>One NDJSON line of <c>/api/generate</c> (or the whole answer when not streaming).</summary>
public sealed class GenerateResponse : ResponseMetrics
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    [JsonPropertyName("response")]
    public string Response { get; set; } = string.Empty;

    [JsonPropertyName("thinking")]
    public string? Thinking { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("done")]
    public bool Done { get; set; }

    /// <summary>"stop", "length", "load", "unload".</summary>
    [JsonPropertyName("done_reason")]
    public string? DoneReason { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("context")]
    public IReadOnlyList<int>? Context { get; set => field = OmitEmpty.List(value); }

    [JsonPropertyName("tool_calls")]
    [JsonPropertyOrder(ResponseMetrics.AfterMetrics)]
    public IReadOnlyList<ToolCall>? ToolCalls { get; set => field = OmitEmpty.List(value); }

    [JsonPropertyName("_debug_info")]
    [JsonPropertyOrder(ResponseMetrics.AfterMetrics + 1)]
    public DebugInfo? DebugInfo { get; set; }

    [JsonPropertyName("logprobs")]
    [JsonPropertyOrder(ResponseMetrics.AfterMetrics + 2)]
    public IReadOnlyList<Logprob>? Logprobs { get; set => field = OmitEmpty.List(value); }
}
