using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Body of <c>POST /api/generate</c>.</summary>
public sealed class GenerateRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("prompt")]
    public string? Prompt { get; set; }

    /// <summary>Text after the insertion point (fill-in-the-middle).</summary>
    [JsonPropertyName("suffix")]
    public string? Suffix { get; set; }

    [JsonPropertyName("system")]
    public string? System { get; set; }

    [JsonPropertyName("template")]
    public string? Template { get; set; }

    /// <summary>Token ids returned by a previous response, for a short conversational memory.</summary>
    [JsonPropertyName("context")]
    public IReadOnlyList<int>? Context { get; set; }

    /// <summary>Null means true (Ollama streams by default); see <see cref="IsStreaming"/>.</summary>
    [JsonPropertyName("stream")]
    public bool? Stream { get; set; }

    [JsonPropertyName("raw")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Raw { get; set; }

    /// <summary>"json" or a JSON schema object; see <see cref="ResponseFormat"/>.</summary>
    [JsonPropertyName("format")]
    public JsonElement? Format { get; set; }

    /// <summary>A raw GBNF grammar for the output (llama-server's <c>grammar</c>; a Corral extension); exclusive with format.</summary>
    [JsonPropertyName("grammar")]
    public string? Grammar { get; set; }

    /// <summary>Per-request LoRA adapter scales (llama-server's <c>lora</c>; a Corral extension): see <see cref="LoraScale"/>.</summary>
    [JsonPropertyName("lora")]
    public IReadOnlyList<LoraScale>? Lora { get; set; }

    [JsonPropertyName("keep_alive")]
    public KeepAlive? KeepAlive { get; set; }

    /// <summary>Images (base64 on the wire), for multimodal models.</summary>
    [JsonPropertyName("images")]
    public IReadOnlyList<byte[]>? Images { get; set; }

    [JsonPropertyName("options")]
    public ModelOptions? Options { get; set; }

    [JsonPropertyName("think")]
    public ThinkValue? Think { get; set; }

    [JsonPropertyName("truncate")]
    public bool? Truncate { get; set; }

    [JsonPropertyName("shift")]
    public bool? Shift { get; set; }

    [JsonPropertyName("logprobs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Logprobs { get; set; }

    /// <summary>0–20 alternatives per position; only with <see cref="Logprobs"/>.</summary>
    [JsonPropertyName("top_logprobs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int TopLogprobs { get; set; }

    /// <summary>Debug: return the rendered prompt instead of running the model.</summary>
    [JsonPropertyName("_debug_render_only")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DebugRenderOnly { get; set; }

    [JsonIgnore]
    public bool IsStreaming => Stream ?? true;
}
