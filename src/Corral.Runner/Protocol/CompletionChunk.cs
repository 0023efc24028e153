using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>
/// One NDJSON line of a completion stream. Intermediate lines carry <see cref="Content"/>;
/// the last has <see cref="Done"/> set with the reason, counts and durations (nanoseconds),
/// or <see cref="Error"/>.
/// </summary>
public sealed class CompletionChunk
{
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("logprobs")] public List<TokenLogprob>? Logprobs { get; set; }
    [JsonPropertyName("done"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool Done { get; set; }
    [JsonPropertyName("done_reason")] public string? DoneReason { get; set; }

    /// <summary>On the last chunk: the stop string that ended the completion (done_reason stays "stop"); null otherwise.</summary>
    [JsonPropertyName("stop_sequence"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? StopSequence { get; set; }

    /// <summary>The whole prompt's token count, as Ollama reports it: cached tokens included.</summary>
    [JsonPropertyName("prompt_eval_count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int PromptEvalCount { get; set; }
    [JsonPropertyName("prompt_eval_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long PromptEvalDuration { get; set; }
    [JsonPropertyName("eval_count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int EvalCount { get; set; }
    [JsonPropertyName("eval_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long EvalDuration { get; set; }

    /// <summary>Prompt tokens reused from the slot's cache (not evaluated again); a part of <see cref="PromptEvalCount"/>.</summary>
    [JsonPropertyName("cached_tokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int CachedTokens { get; set; }

    [JsonPropertyName("tokens")] public int[]? Tokens { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
}
