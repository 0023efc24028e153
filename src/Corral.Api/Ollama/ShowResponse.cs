using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>Answer of <c>/api/show</c>.</summary>
public sealed class ShowResponse
{
    [JsonPropertyName("license")]
    public string? License { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("modelfile")]
    public string? Modelfile { get; set => field = OmitEmpty.Text(value); }

    /// <summary>PARAMETER lines as text ("stop    \"&lt;|eot_id|&gt;\"\n...").</summary>
    [JsonPropertyName("parameters")]
    public string? Parameters { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("template")]
    public string? Template { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("system")]
    public string? System { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("renderer")]
    public string? Renderer { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("parser")]
    public string? Parser { get; set => field = OmitEmpty.Text(value); }

    [JsonPropertyName("details")]
    public ModelDetails Details { get; set; } = new();

    [JsonPropertyName("messages")]
    public IReadOnlyList<Message>? Messages { get; set => field = OmitEmpty.List(value); }

    /// <summary>GGUF metadata ("general.architecture", "llama.context_length", ...). Go writes map keys sorted.</summary>
    [JsonPropertyName("model_info")]
    public JsonObject? ModelInfo { get; set; }

    [JsonPropertyName("projector_info")]
    public JsonObject? ProjectorInfo { get; set; }

    /// <summary>The model's LoRA adapters, in the order a request's <c>lora</c> ids name them (a Corral extension).</summary>
    [JsonPropertyName("adapters")]
    public IReadOnlyList<AdapterInfo>? Adapters { get; set => field = OmitEmpty.List(value); }

    [JsonPropertyName("tensors")]
    public IReadOnlyList<TensorInfo>? Tensors { get; set => field = OmitEmpty.List(value); }

    /// <summary>"completion", "tools", "insert", "vision", "embedding", "thinking".</summary>
    [JsonPropertyName("capabilities")]
    public IReadOnlyList<string>? Capabilities { get; set => field = OmitEmpty.List(value); }

    [JsonPropertyName("modified_at")]
    public DateTimeOffset ModifiedAt { get; set; }
}
