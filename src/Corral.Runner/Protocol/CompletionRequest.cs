using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>A completion as the server asks the runner for it: a rendered prompt plus limits.</summary>
public sealed class CompletionRequest
{
    /// <summary>The rendered prompt; special tokens in it are parsed.</summary>
    [JsonPropertyName("prompt")][JsonConverter(typeof(SegmentedStringConverter))] public string Prompt { get; set; } = string.Empty;

    /// <summary>Tokens to use instead of <see cref="Prompt"/> (the <c>context</c> of /api/generate).</summary>
    [JsonPropertyName("tokens")] public int[]? Tokens { get; set; }

    /// <summary>Tokens prepended to the prompt tokens (a previous exchange's context).</summary>
    [JsonPropertyName("prefix_tokens")] public int[]? PrefixTokens { get; set; }

    /// <summary>
    /// Image bytes (base64 on the wire); the prompt refers to image N with an <c>[img-N]</c> tag, which the
    /// runner replaces with its projector's media marker. Images no tag refers to are ignored.
    /// </summary>
    [JsonPropertyName("images")] public List<byte[]>? Images { get; set; }

    [JsonPropertyName("num_predict")] public int NumPredict { get; set; } = -1;
    [JsonPropertyName("num_keep")] public int NumKeep { get; set; } = 4;
    [JsonPropertyName("stop")] public string[]? Stop { get; set; }

    /// <summary>Shift the context when generation fills it (true) or stop with "length" (false).</summary>
    [JsonPropertyName("shift")] public bool Shift { get; set; } = true;

    /// <summary>Truncate a prompt longer than the context (true) or fail (false).</summary>
    [JsonPropertyName("truncate")] public bool Truncate { get; set; } = true;

    [JsonPropertyName("sampling")] public SamplingParameters Sampling { get; set; } = new();

    /// <summary>Tokens the draft model proposes per step (speculative decoding; Ollama's draft_num_predict); 0 turns it off. Ignored without a draft model.</summary>
    [JsonPropertyName("draft_num_predict")] public int DraftNumPredict { get; set; } = 4;

    [JsonPropertyName("logprobs")] public bool Logprobs { get; set; }
    [JsonPropertyName("top_logprobs")] public int TopLogprobs { get; set; }

    /// <summary>
    /// One scale per LoRA adapter of the model, in its order (0 leaves one out); null uses the model's own (1 each).
    /// Requests with different sets never share a decode (see <c>Engine.Batching.BatchLoop</c>).
    /// </summary>
    [JsonPropertyName("lora_scales")] public float[]? LoraScales { get; set; }

    /// <summary>Return the prompt+generated tokens in the final chunk (for /api/generate's context).</summary>
    [JsonPropertyName("return_tokens")] public bool ReturnTokens { get; set; }
}
