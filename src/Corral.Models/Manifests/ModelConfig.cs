using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Models.Manifests;

/// <summary>
/// The config blob of a manifest (Ollama's ConfigV2). Fields that Go writes even when empty
/// are always written; the optional ones are left out when unset, as Ollama does.
/// </summary>
public sealed class ModelConfig
{
    [JsonPropertyName("model_format")]
    public string ModelFormat { get; set; } = "";

    [JsonPropertyName("model_family")]
    public string ModelFamily { get; set; } = "";

    [JsonPropertyName("model_families")]
    public List<string>? ModelFamilies { get; set; }

    /// <summary>Shown as the parameter size, e.g. "8.0B".</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; set; } = "";

    /// <summary>Shown as the quantization level, e.g. "Q4_K_M".</summary>
    [JsonPropertyName("file_type")]
    public string FileType { get; set; } = "";

    [JsonPropertyName("renderer")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Renderer { get; set; }

    [JsonPropertyName("parser")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Parser { get; set; }

    /// <summary>Minimum Ollama version (REQUIRES), semver without "v".</summary>
    [JsonPropertyName("requires")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Requires { get; set; }

    [JsonPropertyName("remote_host")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? RemoteHost { get; set; }

    [JsonPropertyName("remote_model")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? RemoteModel { get; set; }

    [JsonPropertyName("capabilities")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public List<string>? Capabilities { get; set; }

    [JsonPropertyName("context_length")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ContextLength { get; set; }

    [JsonPropertyName("embedding_length")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int EmbeddingLength { get; set; }

    [JsonPropertyName("base_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? BaseName { get; set; }

    [JsonPropertyName("architecture")]
    public string Architecture { get; set; } = "";

    [JsonPropertyName("os")]
    public string OS { get; set; } = "";

    [JsonPropertyName("rootfs")]
    public RootFs RootFs { get; set; } = new();

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, StoreJsonContext.Default.ModelConfig);

    /// <summary>Reads a config blob; throws <see cref="InvalidDataException"/> on malformed JSON.</summary>
    public static ModelConfig Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, StoreJsonContext.Default.ModelConfig)
                ?? throw new InvalidDataException("config is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"invalid model config: {e.Message}", e);
        }
    }
}
