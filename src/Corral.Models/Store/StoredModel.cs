using Corral.Models.Manifests;
using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>
/// A model as found on disk.
/// </summary>
/// <param name="Name">The name with the case it has on disk.</param>
/// <param name="Manifest">The parsed manifest.</param>
/// <param name="ManifestDigest">SHA-256 of the manifest file's bytes; Ollama shows its hex as the model's <c>digest</c>.</param>
/// <param name="Size">Sum of the config and layer sizes.</param>
/// <param name="ModifiedAt">Last write time of the manifest file.</param>
/// <param name="ManifestPath">Full path of the manifest file.</param>
public sealed record StoredModel(
    ModelName Name,
    Manifest Manifest,
    BlobDigest ManifestDigest,
    long Size,
    DateTimeOffset ModifiedAt,
    string ManifestPath);
