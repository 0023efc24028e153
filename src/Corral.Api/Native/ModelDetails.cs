using System.Text.Json.Serialization;

namespace Corral.Api.Native;

/// <summary>Model facts shown by list, show and ps. Every field is always written (Go has no omitempty here).</summary>
public sealed class ModelDetails
{
    [JsonPropertyName("parent_model")]
    public string ParentModel { get; set; } = string.Empty;

    [JsonPropertyName("format")]
    public string Format { get; set; } = string.Empty;

    [JsonPropertyName("family")]
    public string Family { get; set; } = string.Empty;

    /// <summary>Written as null when unknown, like Ollama's nil slice.</summary>
    [JsonPropertyName("families")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<string>? Families { get; set; }

    [JsonPropertyName("parameter_size")]
    public string ParameterSize { get; set; } = string.Empty;

    [JsonPropertyName("quantization_level")]
    public string QuantizationLevel { get; set; } = string.Empty;
}
