using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>Body of <c>POST /api/create</c> (the client has already uploaded files as blobs).</summary>
public sealed class CreateRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; set; }

    /// <summary>Null means true; progress lines are streamed.</summary>
    [JsonPropertyName("stream")]
    public bool? Stream { get; set; }

    /// <summary>Target quantization ("q4_K_M", "q8_0"); empty keeps the source's.</summary>
    [JsonPropertyName("quantize")]
    public string? Quantize { get; set; }

    /// <summary>Name of an existing model to build on.</summary>
    [JsonPropertyName("from")]
    public string? From { get; set; }

    /// <summary>File name → blob digest ("sha256:...") of GGUF/safetensors files.</summary>
    [JsonPropertyName("files")]
    public Dictionary<string, string>? Files { get; set; }

    /// <summary>File name → blob digest of LoRA adapters.</summary>
    [JsonPropertyName("adapters")]
    public Dictionary<string, string>? Adapters { get; set; }

    /// <summary>File name → blob digest of the draft model (Modelfile DRAFT) for speculative decoding.</summary>
    [JsonPropertyName("draft_files")]
    public Dictionary<string, string>? DraftFiles { get; set; }

    /// <summary>Quantization of the draft model ("q8_0"); it must be F16 or F32 to start with.</summary>
    [JsonPropertyName("draft_quantize")]
    public string? DraftQuantize { get; set; }

    [JsonPropertyName("template")]
    public string? Template { get; set; }

    [JsonPropertyName("license")]
    public StringOrArray? License { get; set; }

    [JsonPropertyName("system")]
    public string? System { get; set; }

    /// <summary>Raw parameter map; turn into options with <see cref="ModelOptions.FromMap"/>.</summary>
    [JsonPropertyName("parameters")]
    public Dictionary<string, JsonElement>? Parameters { get; set; }

    [JsonPropertyName("messages")]
    public IReadOnlyList<Message>? Messages { get; set; }

    [JsonPropertyName("renderer")]
    public string? Renderer { get; set; }

    [JsonPropertyName("parser")]
    public string? Parser { get; set; }

    /// <summary>Legacy spelling of <see cref="Model"/>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Legacy spelling of <see cref="Quantize"/>.</summary>
    [JsonPropertyName("quantization")]
    public string? Quantization { get; set; }

    /// <summary>Legacy: a whole Modelfile as text (old clients).</summary>
    [JsonPropertyName("modelfile")]
    public string? Modelfile { get; set; }

    [JsonIgnore]
    public bool IsStreaming => Stream ?? true;

    public string ResolveModel() => !string.IsNullOrEmpty(Model) ? Model : Name ?? string.Empty;
}
