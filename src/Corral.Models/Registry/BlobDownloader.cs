using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;
using Microsoft.Win32.SafeHandles;

namespace Corral.Models.Registry;

/// <summary>
/// Downloads one blob into a <see cref="BlobStore"/> so that it survives the network: large blobs
/// in parallel ranged parts; progress kept on disk as <c>sha256-&lt;hex&gt;-partial</c> (the data)
/// and <c>sha256-&lt;hex&gt;-partial.json</c> (bytes done per part), so an interrupted download, even
/// one cut off by a restart, continues where it stopped; transient failures retried with backoff;
/// the result hashed against its digest before an atomic rename makes it a blob.
/// </summary>
public sealed class BlobDownloader(RegistryClient client, BlobStore store)
{
    public const string PartialSuffix = "-partial";
    public const string StateSuffix = "-partial.json";

    private const int BufferSize = 1 << 20;
    private static readonly TimeSpan StateSaveInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    // Two pulls of models sharing a layer must not write the same partial file at once.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> BlobLocks = new(StringComparer.Ordinal);

    public RegistryClient Client { get; } = client;

    public string GetPartialPath(BlobDigest digest) => store.GetPath(digest) + PartialSuffix;

    public string GetStatePath(BlobDigest digest) => store.GetPath(digest) + StateSuffix;

    /// <summary>
    /// Makes sure the layer's blob is in the store. Returns false when it already was (nothing fetched).
    /// <paramref name="progress"/> receives the bytes of this blob on disk so far.
    /// </summary>
    public async Task<bool> DownloadAsync(ModelName name, ManifestLayer layer, Action<long> progress, CancellationToken cancellationToken)
    {
        var gate = BlobLocks.GetOrAdd(store.GetPath(layer.Digest), static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (store.TryGetSize(layer.Digest) == layer.Size)
            {
                progress(layer.Size);
                return false;
            }

            Directory.CreateDirectory(store.Directory);
            var state = LoadOrCreateState(layer, Client.Options);
            await new Transfer(this, name, layer, state, progress).RunAsync(cancellationToken).ConfigureAwait(false);
            await VerifyAndCommitAsync(layer, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    private PartialDownloadState LoadOrCreateState(ManifestLayer layer, RegistryOptions options)
    {
        var partial = GetPartialPath(layer.Digest);
        var statePath = GetStatePath(layer.Digest);
        if (TryLoadState(statePath) is { } saved
            && saved.Digest == layer.Digest.ToString()
            && saved.Size == layer.Size
            && new FileInfo(partial) is { Exists: true } file && file.Length == layer.Size
            && PartsAreConsistent(saved))
        {
            return saved;
        }

        var state = new PartialDownloadState { Digest = layer.Digest.ToString(), Size = layer.Size };
        var count = layer.Size >= options.MinPartedBlobSize ? Math.Max(1, options.DownloadParts) : 1;
        var partSize = layer.Size / count;
        for (var i = 0; i < count; i++)
        {
            var offset = i * partSize;
            var length = i == count - 1 ? layer.Size - offset : partSize;
            state.Parts.Add(new PartialDownloadPart { Offset = offset, Length = length });
        }

        using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(layer.Size);
        }

        SaveState(statePath, state);
        return state;
    }

    private static bool PartsAreConsistent(PartialDownloadState state)
    {
        long expected = 0;
        foreach (var part in state.Parts)
        {
            if (part.Offset != expected || part.Length < 0 || part.Completed < 0 || part.Completed > part.Length)
            {
                return false;
            }

            expected += part.Length;
        }

        return expected == state.Size;
    }

    private static PartialDownloadState? TryLoadState(string path)
    {
        try
        {
            return File.Exists(path)
                ? JsonSerializer.Deserialize(File.ReadAllBytes(path), RegistryJsonContext.Default.PartialDownloadState)
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void SaveState(string path, PartialDownloadState state)
    {
        byte[] json;
        lock (state)
        {
            json = JsonSerializer.SerializeToUtf8Bytes(state, RegistryJsonContext.Default.PartialDownloadState);
        }

        var temp = path + ".tmp";
        File.WriteAllBytes(temp, json);
        File.Move(temp, path, overwrite: true);
    }

    private async Task VerifyAndCommitAsync(ManifestLayer layer, CancellationToken cancellationToken)
    {
        var partial = GetPartialPath(layer.Digest);
        BlobDigest actual;
        await using (var stream = new FileStream(partial, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize,
                         FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            actual = BlobDigest.FromHash(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        if (actual != layer.Digest)
        {
            // The bytes are wrong, not merely unfinished: start from nothing next time.
            File.Delete(partial);
            File.Delete(GetStatePath(layer.Digest));
            throw new DigestMismatchException(layer.Digest, actual);
        }

        File.Move(partial, store.GetPath(layer.Digest), overwrite: true);
        File.Delete(GetStatePath(layer.Digest));
    }

    internal static bool IsTransient(Exception e) => e switch
    {
        RegistryException { StatusCode: { } status } => (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        RegistryException => false,
        HttpRequestException => true,
        IOException and not DigestMismatchException => true,
        _ => false,
    };

    internal static TimeSpan Backoff(RegistryOptions options, int attempt)
    {
        var delay = options.RetryDelay * Math.Pow(2, Math.Min(attempt, 16));
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }

    /// <summary>One run over the unfinished parts of a download.</summary>
    private sealed class Transfer(BlobDownloader owner, ModelName name, ManifestLayer layer, PartialDownloadState state, Action<long> progress)
    {
        private readonly RegistryOptions _options = owner.Client.Options;
        private readonly string _statePath = owner.GetStatePath(layer.Digest);
        private long _completed = state.Completed;
        private long _lastSave = Environment.TickCount64;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            progress(_completed);
            using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var handle = File.OpenHandle(owner.GetPartialPath(layer.Digest), FileMode.Open, FileAccess.Write, FileShare.ReadWrite, FileOptions.Asynchronous);
            try
            {
                var tasks = state.Parts.Where(p => !p.IsDone).Select(async part =>
                {
                    try
                    {
                        await DownloadPartAsync(handle, part, failFast.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        // One part gave up: stop the others, their progress is saved below.
                        await failFast.CancelAsync().ConfigureAwait(false);
                        throw;
                    }
                }).ToList();
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            finally
            {
                RandomAccess.FlushToDisk(handle);
                SaveState(_statePath, state);
            }
        }

        private async Task DownloadPartAsync(SafeFileHandle handle, PartialDownloadPart part, CancellationToken cancellationToken)
        {
            var buffer = new byte[BufferSize];
            for (var attempt = 0; ; attempt++)
            {
                var before = part.Completed;
                try
                {
                    await FetchAsync(handle, part, buffer, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && (IsTransient(e) || e is OperationCanceledException))
                {
                    if (part.Completed > before)
                    {
                        attempt = 0; // it was making progress: a flaky link, not a dead one
                    }

                    if (attempt + 1 >= _options.MaxAttempts)
                    {
                        throw new RegistryException($"download of {layer.Digest} failed after {_options.MaxAttempts} attempts: {e.Message}", inner: e);
                    }

                    await Task.Delay(Backoff(_options, attempt), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async Task FetchAsync(SafeFileHandle handle, PartialDownloadPart part, byte[] buffer, CancellationToken cancellationToken)
        {
            var from = part.Offset + part.Completed;
            var to = part.Offset + part.Length - 1;
            var whole = from == 0 && to == layer.Size - 1;
            // The stall timer covers waiting for headers too: a registry that accepts and never answers is a dead link.
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(_options.StallTimeout);
            using var response = await owner.Client.GetBlobAsync(name, layer.Digest, whole ? null : from, whole ? null : to, stall.Token)
                .ConfigureAwait(false);

            // A server that ignores Range sends everything from byte 0; skip what we already have.
            long skip = 0;
            if (!whole)
            {
                if (response.StatusCode == HttpStatusCode.PartialContent)
                {
                    if (response.Content.Headers.ContentRange?.From != from)
                    {
                        throw new RegistryException($"registry answered a range request for {layer.Digest} with the wrong range");
                    }
                }
                else
                {
                    skip = from;
                }
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (part.Completed < part.Length)
            {
                stall.CancelAfter(_options.StallTimeout);
                var want = (int)Math.Min(buffer.Length, skip > 0 ? skip : part.Length - part.Completed);
                var read = await body.ReadAsync(buffer.AsMemory(0, want), stall.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"connection closed before the end of {layer.Digest}");
                }

                if (skip > 0)
                {
                    skip -= read;
                    continue;
                }

                await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), part.Offset + part.Completed, cancellationToken).ConfigureAwait(false);
                lock (state)
                {
                    part.Completed += read;
                }

                progress(Interlocked.Add(ref _completed, read));
                MaybeSaveState();
            }
        }

        private void MaybeSaveState()
        {
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastSave);
            if (now - last >= StateSaveInterval.TotalMilliseconds && Interlocked.CompareExchange(ref _lastSave, now, last) == last)
            {
                SaveState(_statePath, state);
            }
        }
    }
}
