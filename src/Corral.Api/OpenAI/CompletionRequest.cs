using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.OpenAI;

/// <summary>Body of the legacy <c>POST /v1/completions</c>.</summary>
public sealed class CompletionRequest : LlamaSamplingFields
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    /// <summary>One prompt or several (each gets <c>n</c> choices); token-id prompts are refused.</summary>
    [JsonPropertyName("prompt")]
    public StringOrArray? Prompt { get; set; }

    [JsonPropertyName("n")]
    public int? N { get; set; }

    /// <summary>A raw GBNF grammar for the output, as llama-server takes it (a Corral extension).</summary>
    [JsonPropertyName("grammar")]
    public string? Grammar { get; set; }

    /// <summary>Per-request LoRA adapter scales, as llama-server takes them (a Corral extension): [{"id":0,"scale":0.5}].</summary>
    [JsonPropertyName("lora")]
    public IReadOnlyList<Ollama.LoraScale>? Lora { get; set; }

    [JsonPropertyName("logit_bias")]
    public Dictionary<string, float>? LogitBias { get; set; }

    [JsonPropertyName("user")]
    public string? User { get; set; }

    [JsonPropertyName("suffix")]
    public string? Suffix { get; set; }

    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Stream { get; set; }

    [JsonPropertyName("stream_options")]
    public StreamOptions? StreamOptions { get; set; }

    [JsonPropertyName("max_tokens")]
    public int? MaxTokens { get; set; }

    [JsonPropertyName("temperature")]
    public float? Temperature { get; set; }

    [JsonPropertyName("top_p")]
    public float? TopP { get; set; }

    [JsonPropertyName("seed")]
    public int? Seed { get; set; }

    [JsonPropertyName("stop")]
    public StringOrArray? Stop { get; set; }

    [JsonPropertyName("frequency_penalty")]
    public float? FrequencyPenalty { get; set; }

    [JsonPropertyName("presence_penalty")]
    public float? PresencePenalty { get; set; }

    /// <summary>How many alternatives to return per token (0–5); null for none.</summary>
    [JsonPropertyName("logprobs")]
    public int? Logprobs { get; set; }

    [JsonPropertyName("echo")]
    public bool? Echo { get; set; }
}
