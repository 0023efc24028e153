using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;

namespace Corral.Models.Registry;

/// <summary>
/// <c>ollama pull</c>: fetches a manifest, downloads each layer not already in the store, and only
/// then writes the manifest, reporting progress with Ollama's status lines. The manifest's blobs are
/// reserved before the store is asked which it already has, so a concurrent delete or re-pull cannot
/// prune one between that check and the manifest write; writing the manifest prunes the blobs only
/// the replaced version used (unless OLLAMA_NOPRUNE).
/// </summary>
public sealed class ModelPuller(RegistryClient client, ModelStore store)
{
    public async Task PullAsync(ModelName name, Action<RegistryProgress> report, CancellationToken cancellationToken)
    {
        if (!name.IsValid)
        {
            throw new InvalidModelNameException(name, nameof(name));
        }

        report(new RegistryProgress("pulling manifest"));
        RegistryManifest remote;
        try
        {
            remote = await RegistryRetry.RunAsync(client.Options, () => client.GetManifestAsync(name, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            throw new RegistryException($"pull model manifest: {e.Message}", e.StatusCode, e);
        }

        var layers = DistinctBlobs(remote.Manifest);
        using var reservation = store.ReserveBlobs(layers.Select(l => l.Digest));
        var downloader = new BlobDownloader(client, store.Blobs);
        foreach (var layer in layers)
        {
            var status = $"pulling {layer.Digest.Hex[..12]}";
            var throttle = new ProgressThrottle(report, status, layer.Digest.ToString(), layer.Size, client.Options.ProgressInterval);
            await downloader.DownloadAsync(name, layer, throttle.Report, cancellationToken).ConfigureAwait(false);
            throttle.Report(layer.Size);
        }

        report(new RegistryProgress("verifying sha256 digest"));
        foreach (var layer in layers)
        {
            // Each blob was hashed before it entered the store; this catches one removed or replaced since.
            if (store.Blobs.TryGetSize(layer.Digest) != layer.Size)
            {
                throw new RegistryException($"blob {layer.Digest} is missing or has the wrong size after download");
            }
        }

        report(new RegistryProgress("writing manifest"));
        store.WriteManifestBytes(name.WithoutDigest(), remote.Bytes, requireBlobs: true);
        report(new RegistryProgress("success"));
    }

    /// <summary>Layers in manifest order, then the config; each digest once.</summary>
    internal static List<ManifestLayer> DistinctBlobs(Manifest manifest)
    {
        var seen = new HashSet<BlobDigest>();
        var blobs = new List<ManifestLayer>();
        foreach (var layer in manifest.Layers.Append(manifest.Config))
        {
            if (seen.Add(layer.Digest))
            {
                blobs.Add(layer);
            }
        }

        return blobs;
    }
}
