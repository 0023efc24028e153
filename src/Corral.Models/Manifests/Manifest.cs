using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Models.Manifests;

/// <summary>
/// An Ollama model manifest: a Docker image manifest v2 (schema 2) whose config blob is a
/// <see cref="ModelConfig"/> and whose layers carry the Ollama media types.
/// </summary>
public sealed class Manifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    public string MediaType { get; init; } = MediaTypes.Manifest;

    [JsonPropertyName("config")]
    public required ManifestLayer Config { get; init; }

    [JsonPropertyName("layers")]
    public IReadOnlyList<ManifestLayer> Layers { get; init; } = [];

    /// <summary>Bytes of all layers plus the config, as Ollama reports a model's size.</summary>
    [JsonIgnore]
    public long TotalSize
    {
        get
        {
            var size = Config.Size;
            foreach (var layer in Layers)
            {
                size += layer.Size;
            }

            return size;
        }
    }

    /// <summary>The config and every layer, config first.</summary>
    [JsonIgnore]
    public IEnumerable<ManifestLayer> AllBlobs => Layers.Prepend(Config);

    /// <summary>The first layer of the given media type, or null.</summary>
    public ManifestLayer? FindLayer(string mediaType) =>
        Layers.FirstOrDefault(l => string.Equals(l.MediaType, mediaType, StringComparison.Ordinal));

    /// <summary>Compact JSON with a trailing newline, the way Go's json.Encoder writes it.</summary>
    public byte[] ToJsonBytes()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, StoreJsonContext.Default.Manifest);
        var bytes = new byte[json.Length + 1];
        json.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>
    /// Reads a manifest. Throws <see cref="InvalidDataException"/> when the JSON is malformed,
    /// a digest is not a valid sha256 digest, or the config is missing.
    /// </summary>
    public static Manifest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize(json, StoreJsonContext.Default.Manifest);

            // "required" only checks that the members are present; an explicit null still gets through.
            if (manifest?.Config is null || manifest.Layers is null || manifest.Layers.Any(l => l is null))
            {
                throw new InvalidDataException("invalid manifest: missing config or null layer");
            }

            return manifest;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"invalid manifest: {e.Message}", e);
        }
    }
}
