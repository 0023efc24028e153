using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.OpenAI;

/// <summary>Body of <c>POST /v1/chat/completions</c>.</summary>
public sealed class ChatCompletionRequest : LlamaSamplingFields
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("messages")]
    public IReadOnlyList<ChatMessage> Messages { get; set; } = [];

    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Stream { get; set; }

    [JsonPropertyName("stream_options")]
    public StreamOptions? StreamOptions { get; set; }

    [JsonPropertyName("max_tokens")]
    public int? MaxTokens { get; set; }

    [JsonPropertyName("max_completion_tokens")]
    public int? MaxCompletionTokens { get; set; }

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

    /// <summary>A raw GBNF grammar for the output, as llama-server takes it (a Corral extension).</summary>
    [JsonPropertyName("grammar")]
    public string? Grammar { get; set; }

    /// <summary>Per-request LoRA adapter scales, as llama-server takes them (a Corral extension): [{"id":0,"scale":0.5}].</summary>
    [JsonPropertyName("lora")]
    public IReadOnlyList<Ollama.LoraScale>? Lora { get; set; }

    [JsonPropertyName("logit_bias")]
    public Dictionary<string, float>? LogitBias { get; set; }

    [JsonPropertyName("n")]
    public int? N { get; set; }

    [JsonPropertyName("logprobs")]
    public bool? Logprobs { get; set; }

    [JsonPropertyName("top_logprobs")]
    public int? TopLogprobs { get; set; }

    [JsonPropertyName("tools")]
    public IReadOnlyList<OpenAITool>? Tools { get; set; }

    /// <summary>"none", "auto", "required" or {"type":"function","function":{"name":...}}.</summary>
    [JsonPropertyName("tool_choice")]
    public JsonElement? ToolChoice { get; set; }

    /// <summary>False: at most one tool call (matters where a call is required).</summary>
    [JsonPropertyName("parallel_tool_calls")]
    public bool? ParallelToolCalls { get; set; }

    [JsonPropertyName("response_format")]
    public ResponseFormatSpec? ResponseFormat { get; set; }

    /// <summary>"minimal", "low", "medium", "high", "xhigh", "max" (or "none" to disable thinking).</summary>
    [JsonPropertyName("reasoning_effort")]
    public string? ReasoningEffort { get; set; }

    /// <summary>The newer form <c>{"effort": ...}</c>; wins over <see cref="ReasoningEffort"/>.</summary>
    [JsonPropertyName("reasoning")]
    public ReasoningSpec? Reasoning { get; set; }

    [JsonPropertyName("user")]
    public string? User { get; set; }
}
