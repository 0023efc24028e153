using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>The runner's readiness: <c>loading</c> (with progress 0..1), <c>ready</c>, or <c>error</c>.</summary>
public sealed class RunnerHealth
{
    public const string Loading = "loading";
    public const string Ready = "ready";
    public const string Failed = "error";

    [JsonPropertyName("status")] public string Status { get; set; } = Loading;
    [JsonPropertyName("progress")] public float Progress { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }

    /// <summary>The load failed on what the model was created with (a LoRA adapter llama.cpp cannot apply to it): a 400, not a 500.</summary>
    [JsonPropertyName("refused")] public bool Refused { get; set; }
    [JsonPropertyName("active_slots")] public int ActiveSlots { get; set; }
    [JsonPropertyName("slots")] public int Slots { get; set; }
    [JsonPropertyName("context_length")] public int ContextLength { get; set; }
    [JsonPropertyName("kv_cells_used")] public long KvCellsUsed { get; set; }
    [JsonPropertyName("prefix_cache_hit_tokens")] public long PrefixCacheHitTokens { get; set; }

    /// <summary>Part of <see cref="PrefixCacheHitTokens"/>: prompt tokens whose KV was copied from another slot.</summary>
    [JsonPropertyName("shared_prefix_tokens")] public long SharedPrefixTokens { get; set; }

    /// <summary>Part of <see cref="PrefixCacheHitTokens"/>: prompt tokens restored from the host-memory prompt cache.</summary>
    [JsonPropertyName("prompt_cache_restored_tokens")] public long PromptCacheRestoredTokens { get; set; }

    [JsonPropertyName("prompt_cache_bytes")] public long PromptCacheBytes { get; set; }
    /// <summary>Draft tokens the target model checked (speculative decoding; 0 without a draft model).</summary>
    [JsonPropertyName("draft_tokens_drafted")] public long DraftTokensDrafted { get; set; }

    /// <summary>Draft tokens the target model agreed with.</summary>
    [JsonPropertyName("draft_tokens_accepted")] public long DraftTokensAccepted { get; set; }

    /// <summary>llama_decode calls made for completions (a step serves every generating slot at once).</summary>
    [JsonPropertyName("decode_steps")] public long DecodeSteps { get; set; }

    /// <summary>
    /// Of <see cref="DecodeSteps"/>, those whose sequences were not consecutive, which llama.cpp computes as one graph
    /// per run of consecutive sequences (slower per token).
    /// </summary>
    [JsonPropertyName("split_decode_steps")] public long SplitDecodeSteps { get; set; }

    [JsonPropertyName("load_duration")] public long LoadDuration { get; set; }
}
