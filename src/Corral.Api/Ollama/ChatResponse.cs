using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>One NDJSON line of <c>/api/chat</c> (or the whole answer when not streaming).</summary>
public sealed class ChatResponse : ResponseMetrics
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    [JsonPropertyName("message")]
    public Message Message { get; set; } = new();

    [JsonPropertyName("done")]
    public bool Done { get; set; }

    [JsonPropertyName("done_reason")]
    public string? DoneReason { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("_debug_info")]
    public DebugInfo? DebugInfo { get; set; }

    [JsonPropertyName("logprobs")]
    public IReadOnlyList<Logprob>? Logprobs { get; set => field = OmitEmpty.List(value); }
}
