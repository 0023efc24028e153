using Corral.Models.Names;
using Corral.Models.Store;

namespace Corral.Models.Registry;

/// <summary>
/// <c>ollama push</c>: uploads each blob the registry does not have yet (HEAD first), then PUTs the
/// manifest bytes exactly as stored, so the registry's digest equals the local one.
/// </summary>
public sealed class ModelPusher(RegistryClient client, ModelStore store)
{
    public async Task PushAsync(ModelName name, Action<RegistryProgress> report, CancellationToken cancellationToken)
    {
        report(new RegistryProgress("retrieving manifest"));
        var stored = store.GetManifest(name);
        var bytes = await File.ReadAllBytesAsync(stored.ManifestPath, cancellationToken).ConfigureAwait(false);
        var target = name.WithoutDigest();

        foreach (var layer in ModelPuller.DistinctBlobs(stored.Manifest))
        {
            var status = $"pushing {layer.Digest.Hex[..12]}";
            var digest = layer.Digest.ToString();
            var path = store.Blobs.GetPath(layer.Digest);
            if (!File.Exists(path))
            {
                throw new RegistryException($"blob {layer.Digest} of '{name.DisplayShortest()}' is missing from the store");
            }

            report(new RegistryProgress(status, digest, layer.Size, 0));
            var exists = await RegistryRetry.RunAsync(client.Options,
                () => client.BlobExistsAsync(target, layer.Digest, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (!exists)
            {
                var throttle = new ProgressThrottle(report, status, digest, layer.Size, client.Options.ProgressInterval);
                await RegistryRetry.RunAsync(client.Options, async () =>
                {
                    await client.UploadBlobAsync(target, layer.Digest, path, throttle.Report, cancellationToken).ConfigureAwait(false);
                    return true;
                }, cancellationToken).ConfigureAwait(false);
            }

            report(new RegistryProgress(status, digest, layer.Size, layer.Size));
        }

        report(new RegistryProgress("pushing manifest"));
        await RegistryRetry.RunAsync(client.Options, async () =>
        {
            await client.PutManifestAsync(target, bytes, stored.Manifest.MediaType, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        report(new RegistryProgress("success"));
    }
}
