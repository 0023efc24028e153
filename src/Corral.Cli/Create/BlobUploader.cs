using Corral.Api.Client;
using Corral.Cli.Output;

namespace Corral.Cli.Create;

/// <summary>
/// Uploads local files as blobs: <c>HEAD /api/blobs/:digest</c> first, and only when the server lacks the
/// blob a <c>POST</c> of the bytes, with a "copying file sha256:... NN%" status line.
/// </summary>
internal static class BlobUploader
{
    /// <summary>Returns how many blobs were actually sent (the rest the server already had).</summary>
    public static async Task<int> UploadAsync(OllamaClient client, IReadOnlyList<LocalBlob> blobs, ProgressDisplay display, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var blob in blobs)
        {
            var spinner = display.Status($"copying file {blob.Digest} 0%");
            if (await client.HeadBlobAsync(blob.Digest, cancellationToken).ConfigureAwait(false))
            {
                spinner.Message = $"copying file {blob.Digest} 100%";
                continue;
            }

            var file = new FileStream(blob.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await using var counting = new CountingStream(file);
            using var ticker = new Timer(_ => spinner.Message = $"copying file {blob.Digest} {Percent(counting.BytesRead, blob.Size)}%", null, 60, 60);
            await client.PushBlobAsync(blob.Digest, counting, cancellationToken).ConfigureAwait(false);
            await ticker.DisposeAsync().ConfigureAwait(false);
            spinner.Message = $"copying file {blob.Digest} 100%";
            sent++;
        }

        return sent;
    }

    private static int Percent(long done, long total) => total <= 0 ? 100 : (int)Math.Min(100, done * 100 / total);
}
