using System.Text.Json.Serialization;
using Corral.Models.Names;

namespace Corral.Models.Manifests;

/// <summary>One layer (or the config) of a manifest: a blob reference with its media type.</summary>
public sealed class ManifestLayer
{
    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    [JsonPropertyName("digest")]
    [JsonConverter(typeof(BlobDigestJsonConverter))]
    public required BlobDigest Digest { get; init; }

    [JsonPropertyName("size")]
    public required long Size { get; init; }

    /// <summary>The model this layer was inherited from, if any (Ollama writes it on create).</summary>
    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? From { get; init; }

    /// <summary>Tensor metadata of <see cref="MediaTypes.Tensor"/> layers; kept so they round-trip.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("dtype")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Dtype { get; init; }

    [JsonPropertyName("shape")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? Shape { get; init; }
}
