using System.Buffers;
using System.Security.Cryptography;
using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>
/// The content-addressed <c>blobs/</c> folder: one file <c>sha256-&lt;hex&gt;</c> per blob.
/// Writes stream into a <c>-partial-</c> temp file while hashing, check the digest, flush to disk
/// and only then rename into place, so a blob file always holds exactly its digest's content.
/// </summary>
public sealed class BlobStore
{
    /// <summary>Marks temp files of unfinished writes (Ollama's downloads use the same word).</summary>
    public const string PartialMarker = "-partial";

    private const int CopyBufferSize = 1 << 20;

    public BlobStore(string directory) => Directory = Path.GetFullPath(directory);

    public string Directory { get; }

    /// <summary>The blob's full path. Only a validated <see cref="BlobDigest"/> can name a file here.</summary>
    public string GetPath(BlobDigest digest) => StorePaths.Under(Directory, digest.FileName);

    public bool Exists(BlobDigest digest) => File.Exists(GetPath(digest));

    /// <summary>The blob's size, or null when it is not in the store.</summary>
    public long? TryGetSize(BlobDigest digest)
    {
        var info = new FileInfo(GetPath(digest));
        return info.Exists ? info.Length : null;
    }

    /// <summary>Opens a blob for reading; throws <see cref="FileNotFoundException"/> when absent.</summary>
    public FileStream OpenRead(BlobDigest digest) =>
        new(GetPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>
    /// Stores <paramref name="content"/> under <paramref name="expected"/>. Throws
    /// <see cref="DigestMismatchException"/> (leaving nothing behind) when the bytes hash to
    /// something else. Safe to call concurrently for the same digest.
    /// </summary>
    public async Task<BlobInfo> WriteAsync(BlobDigest expected, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return await WriteCoreAsync(content, expected, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores content whose digest is not known yet and returns it.</summary>
    public Task<BlobInfo> AddAsync(Stream content, CancellationToken cancellationToken = default) =>
        WriteCoreAsync(content, expected: null, cancellationToken);

    public async Task<BlobInfo> AddBytesAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var digest = BlobDigest.Compute(content.Span);
        if (TryGetSize(digest) == content.Length)
        {
            return new BlobInfo(digest, content.Length);
        }

        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return await WriteCoreAsync(stream, digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies a local file (e.g. a GGUF named by FROM) into the store, computing its digest.</summary>
    public async Task<BlobInfo> AddFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await WriteCoreAsync(source, expected: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a blob; returns false when it was not there.</summary>
    public bool Delete(BlobDigest digest)
    {
        var path = GetPath(digest);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Digests of the complete blobs; partial, temp and foreign files are skipped.</summary>
    public IEnumerable<BlobDigest> ListDigests()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", EnumerationOptionsForStore.Flat))
        {
            if (BlobDigest.TryParseFileName(Path.GetFileName(file), out var digest))
            {
                yield return digest;
            }
        }
    }

    private async Task<BlobInfo> WriteCoreAsync(Stream content, BlobDigest? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        System.IO.Directory.CreateDirectory(Directory);

        var stem = expected?.FileName ?? "sha256-new";
        var temp = Path.Combine(Directory, $"{stem}{PartialMarker}-{Guid.NewGuid():N}");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long size = 0;
            BlobDigest actual;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0,
                                 FileOptions.Asynchronous))
                {
                    int read;
                    while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        size += read;
                    }

                    // Durable before it becomes visible: a crash must not leave a named blob with holes.
                    output.Flush(flushToDisk: true);
                }

                actual = BlobDigest.FromHash(hash.GetHashAndReset());
            }

            if (expected is not null && expected != actual)
            {
                throw new DigestMismatchException(expected, actual);
            }

            var final = GetPath(actual);
            if (new FileInfo(final) is { Exists: true } existing && existing.Length == size)
            {
                // Another writer (or an earlier create) already stored the same content.
                AtomicFile.TryDelete(temp);
            }
            else
            {
                // rename(2) replaces atomically; concurrent writers of one digest hold identical bytes.
                File.Move(temp, final, overwrite: true);
            }

            return new BlobInfo(actual, size);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
