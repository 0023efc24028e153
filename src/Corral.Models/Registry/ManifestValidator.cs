using Corral.Models.Manifests;

namespace Corral.Models.Registry;

/// <summary>
/// Checks a manifest received from a registry before anything of it is used: size, schema,
/// media types, layer count, digests (parsing rejects anything but <c>sha256:&lt;64 hex&gt;</c>, so no
/// digest can carry a path) and sizes.
/// </summary>
public static class ManifestValidator
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    private const string OllamaLayerPrefix = "application/vnd.ollama.image.";

    public static Manifest Validate(ReadOnlySpan<byte> json, RegistryOptions options)
    {
        if (json.Length > options.MaxManifestBytes)
        {
            throw new RegistryException($"manifest is too large ({json.Length} bytes, limit {options.MaxManifestBytes})");
        }

        Manifest manifest;
        try
        {
            manifest = Manifest.Parse(json);
        }
        catch (InvalidDataException e)
        {
            throw new RegistryException(e.Message, inner: e);
        }

        if (manifest.SchemaVersion != 2)
        {
            throw new RegistryException($"invalid manifest: unsupported schema version {manifest.SchemaVersion}");
        }

        if (manifest.MediaType is not (MediaTypes.Manifest or OciManifest))
        {
            throw new RegistryException($"invalid manifest: unsupported media type '{manifest.MediaType}'");
        }

        if (manifest.Layers.Count > options.MaxLayers)
        {
            throw new RegistryException($"invalid manifest: {manifest.Layers.Count} layers (limit {options.MaxLayers})");
        }

        if (manifest.Config.MediaType is not (MediaTypes.Config or OciConfig))
        {
            throw new RegistryException($"invalid manifest: unsupported config media type '{manifest.Config.MediaType}'");
        }

        CheckSize(manifest.Config, options);
        long total = manifest.Config.Size;
        foreach (var layer in manifest.Layers)
        {
            if (!layer.MediaType.StartsWith(OllamaLayerPrefix, StringComparison.Ordinal))
            {
                throw new RegistryException($"invalid manifest: unsupported layer media type '{layer.MediaType}'");
            }

            CheckSize(layer, options);
            total += layer.Size;
            if (total > options.MaxBlobSize)
            {
                throw new RegistryException($"invalid manifest: total size exceeds {options.MaxBlobSize} bytes");
            }
        }

        return manifest;
    }

    private static void CheckSize(ManifestLayer layer, RegistryOptions options)
    {
        if (layer.Size < 0 || layer.Size > options.MaxBlobSize)
        {
            throw new RegistryException($"invalid manifest: layer {layer.Digest} has invalid size {layer.Size}");
        }
    }
}
