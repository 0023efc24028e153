using System.Security.Cryptography;

namespace Corral.Cli.Create;

internal static class FileDigests
{
    /// <summary>"sha256:&lt;hex&gt;" of a file, read in large sequential chunks.</summary>
    public static async Task<LocalBlob> ComputeAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return new LocalBlob(path, "sha256:" + Convert.ToHexStringLower(hash), stream.Length);
    }
}
