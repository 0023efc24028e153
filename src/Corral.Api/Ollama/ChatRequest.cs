using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Body of <c>POST /api/chat</c>.</summary>
public sealed class ChatRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("messages")]
    public IReadOnlyList<Message>? Messages { get; set; }

    /// <summary>Null means true; see <see cref="IsStreaming"/>.</summary>
    [JsonPropertyName("stream")]
    public bool? Stream { get; set; }

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

    [JsonPropertyName("tools")]
    public IReadOnlyList<Tool>? Tools { get; set; }

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

    [JsonPropertyName("top_logprobs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int TopLogprobs { get; set; }

    [JsonPropertyName("_debug_render_only")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DebugRenderOnly { get; set; }

    [JsonIgnore]
    public bool IsStreaming => Stream ?? true;
}
