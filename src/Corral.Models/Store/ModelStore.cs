using System.Diagnostics.CodeAnalysis;
using Corral.Models.Manifests;
using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>
/// Ollama's on-disk model store: <c>manifests/&lt;host&gt;/&lt;namespace&gt;/&lt;model&gt;/&lt;tag&gt;</c>
/// plus <see cref="BlobStore"/> under <c>blobs/</c>. A store written by Ollama reads here and the
/// other way round. Manifest writes are atomic; lookups ignore case as Ollama's do.
/// <para>
/// Pruning (unless <see cref="NoPrune"/>): when a manifest is replaced (pull, create, copy onto an
/// existing name) or deleted, the blobs the old manifest used that no manifest refers to any more are
/// removed. One store lock orders every manifest write, delete and prune, and the reference scan
/// runs after the new manifest is on disk, so a blob still in use is never lost. Blobs an operation
/// in flight will refer to but has not written a manifest for yet are protected by
/// <see cref="ReserveBlobs"/> and <see cref="HoldUploadedBlob"/> (in this process only; Ollama does
/// not guard two processes sharing a store either).
/// </para>
/// </summary>
public sealed class ModelStore
{
    /// <summary>Partial files younger than this are left alone by <see cref="Prune"/> (a write may still be running).</summary>
    public static readonly TimeSpan DefaultPartialFileMaxAge = TimeSpan.FromHours(1);

    /// <summary>How long a blob uploaded (or found present) through <c>/api/blobs</c> waits for the create that uses it.</summary>
    public static readonly TimeSpan UploadedBlobHold = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly BlobHolds _holds = new();
    private readonly TimeProvider _time;

    /// <param name="root">The models folder (<c>$OLLAMA_MODELS</c>); see <see cref="ResolveRoot"/>.</param>
    /// <param name="noPrune">OLLAMA_NOPRUNE: keep blobs when a model is deleted or replaced.</param>
    /// <param name="time">Clock for timed holds (tests); the system clock by default.</param>
    public ModelStore(string root, bool noPrune = false, TimeProvider? time = null)
    {
        Root = Path.GetFullPath(root);
        ManifestsDirectory = Path.Combine(Root, "manifests");
        Blobs = new BlobStore(Path.Combine(Root, "blobs"));
        NoPrune = noPrune;
        _time = time ?? TimeProvider.System;
    }

    public string Root { get; }
    public string ManifestsDirectory { get; }
    public BlobStore Blobs { get; }
    public bool NoPrune { get; }

    /// <summary><c>OLLAMA_MODELS</c> when set and not empty, else <c>~/.ollama/models</c>.</summary>
    public static string ResolveRoot(Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var configured = getEnvironmentVariable("OLLAMA_MODELS");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".ollama", "models");
    }

    /// <summary>
    /// Every model whose manifest lies at <c>manifests/host/namespace/model/tag</c> with valid
    /// parts and parses; anything else is skipped, as Ollama does.
    /// </summary>
    public IReadOnlyList<StoredModel> ListModels()
    {
        var models = new List<StoredModel>();
        if (!Directory.Exists(ManifestsDirectory))
        {
            return models;
        }

        foreach (var host in Directory.EnumerateDirectories(ManifestsDirectory, "*", EnumerationOptionsForStore.Flat))
            foreach (var ns in Directory.EnumerateDirectories(host, "*", EnumerationOptionsForStore.Flat))
                foreach (var model in Directory.EnumerateDirectories(ns, "*", EnumerationOptionsForStore.Flat))
                    foreach (var tag in Directory.EnumerateFiles(model, "*", EnumerationOptionsForStore.Flat))
                    {
                        var name = ModelName.FromManifestRelativePath(Path.GetRelativePath(ManifestsDirectory, tag));
                        if (name is not null && TryRead(name, tag) is { } stored)
                        {
                            models.Add(stored);
                        }
                    }

        return models;
    }

    /// <summary>
    /// Finds a model's manifest, ignoring case (the exact spelling wins when several exist).
    /// The returned name has the case found on disk. The digest of <paramref name="name"/>, if any, is ignored.
    /// </summary>
    public bool TryGetManifest(ModelName name, [NotNullWhen(true)] out StoredModel? model)
    {
        model = null;
        if (!name.IsValid || FindManifestPath(name) is not { } path)
        {
            return false;
        }

        var onDisk = ModelName.FromManifestRelativePath(Path.GetRelativePath(ManifestsDirectory, path));
        model = onDisk is null ? null : TryRead(onDisk, path);
        return model is not null;
    }

    /// <summary>Like <see cref="TryGetManifest"/>, throwing <see cref="ModelNotFoundException"/> when absent.</summary>
    public StoredModel GetManifest(ModelName name) =>
        TryGetManifest(name, out var model) ? model : throw new ModelNotFoundException(name);

    /// <summary>
    /// Writes (or replaces) a model's manifest atomically; a replaced manifest's unused blobs are pruned.
    /// With <paramref name="requireBlobs"/>, throws <see cref="MissingBlobException"/> (writing nothing)
    /// when a blob it refers to is not in the store, checked under the store lock so no prune can slip in.
    /// </summary>
    public StoredModel WriteManifest(ModelName name, Manifest manifest, bool requireBlobs = false) =>
        WriteManifestBytes(name, manifest.ToJsonBytes(), requireBlobs);

    /// <summary>
    /// Writes manifest bytes verbatim (e.g. as received from a registry) after checking that they
    /// parse. An existing case variant of the name is overwritten rather than duplicated. Unless
    /// <see cref="NoPrune"/>, blobs only the replaced manifest used are then removed (Ollama does the
    /// same after a pull or create).
    /// </summary>
    public StoredModel WriteManifestBytes(ModelName name, ReadOnlySpan<byte> json, bool requireBlobs = false)
    {
        RequireValid(name);
        var manifest = Manifest.Parse(json);
        lock (_gate)
        {
            return WriteLocked(name, json, manifest, requireBlobs);
        }
    }

    /// <summary>
    /// Copies a manifest byte for byte (so the copy has the same digest), as <c>ollama cp</c>. Read and
    /// write happen under the store lock, so the source's blobs cannot be pruned in between.
    /// </summary>
    public StoredModel Copy(ModelName source, ModelName destination)
    {
        RequireValid(destination);
        lock (_gate)
        {
            var stored = GetManifest(source);
            var bytes = File.ReadAllBytes(stored.ManifestPath);
            return WriteLocked(destination, bytes, Manifest.Parse(bytes), requireBlobs: false);
        }
    }

    /// <summary>
    /// Protects <paramref name="digests"/> from every prune until the returned reservation is
    /// disposed. Take it before checking a blob is present, so a concurrent delete or re-pull that
    /// drops the last manifest using it cannot remove it before this operation's manifest exists.
    /// </summary>
    public BlobReservation ReserveBlobs(IEnumerable<BlobDigest> digests)
    {
        var reservation = new BlobReservation(this);
        foreach (var digest in digests)
        {
            reservation.Add(digest);
        }

        return reservation;
    }

    /// <summary>
    /// Keeps a blob a client is uploading for <see cref="UploadedBlobHold"/> or until a manifest
    /// refers to it: the create that will use it comes in a later request. Call it before writing.
    /// </summary>
    public void HoldUploadedBlob(BlobDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _holds.HoldUntil(digest, now + UploadedBlobHold, now);
        }
    }

    /// <summary>
    /// When the blob is present, holds it as <see cref="HoldUploadedBlob"/> does and returns true; the
    /// check and the hold are one step, so a client told "present" can rely on it for its create.
    /// </summary>
    public bool TryHoldExistingBlob(BlobDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        lock (_gate)
        {
            if (!Blobs.Exists(digest))
            {
                return false;
            }

            var now = _time.GetUtcNow();
            _holds.HoldUntil(digest, now + UploadedBlobHold, now);
            return true;
        }
    }

    /// <summary>Whether a reservation or timed hold currently protects the blob.</summary>
    public bool IsBlobHeld(BlobDigest digest)
    {
        lock (_gate)
        {
            return _holds.IsHeld(digest, _time.GetUtcNow());
        }
    }

    internal void WithHolds(Action<BlobHolds> action)
    {
        lock (_gate)
        {
            action(_holds);
        }
    }

    private StoredModel WriteLocked(ModelName name, ReadOnlySpan<byte> json, Manifest manifest, bool requireBlobs)
    {
        if (requireBlobs)
        {
            foreach (var blob in manifest.AllBlobs)
            {
                if (!Blobs.Exists(blob.Digest))
                {
                    throw new MissingBlobException(blob.Digest);
                }
            }
        }

        var path = TargetManifestPath(name);
        var replaced = TryParseManifestFile(path);
        AtomicFile.WriteAllBytes(path, json);
        _holds.Claim(manifest.AllBlobs.Select(l => l.Digest));
        var onDisk = ModelName.FromManifestRelativePath(Path.GetRelativePath(ManifestsDirectory, path))!;
        var stored = TryRead(onDisk, path) ?? throw new IOException($"manifest for '{name}' vanished after writing");

        if (!NoPrune && replaced is not null)
        {
            // The scan sees the manifest just written, so the blobs the old and new versions share stay.
            PruneUnreferencedLocked(replaced.AllBlobs.Select(l => l.Digest));
        }

        return stored;
    }

    private static Manifest? TryParseManifestFile(string path)
    {
        try
        {
            return File.Exists(path) ? Manifest.Parse(File.ReadAllBytes(path)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // A corrupt manifest is replaced all the same; we just cannot know which blobs it held.
            return null;
        }
    }

    /// <summary>
    /// Removes those of <paramref name="candidates"/> that no manifest refers to and nothing holds.
    /// Caller holds the store lock. A blob that cannot be removed stays (the start-up prune retries).
    /// </summary>
    private List<BlobDigest> PruneUnreferencedLocked(IEnumerable<BlobDigest> candidates)
    {
        var removed = new List<BlobDigest>();
        var referenced = CollectReferencedDigests();
        var now = _time.GetUtcNow();
        foreach (var digest in candidates.Distinct())
        {
            if (referenced.Contains(digest) || _holds.IsHeld(digest, now))
            {
                continue;
            }

            try
            {
                if (Blobs.Delete(digest))
                {
                    removed.Add(digest);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Leave it; a later prune tries again.
            }
        }

        return removed;
    }

    /// <summary>
    /// Removes a model's manifest and the folders it leaves empty. Unless <see cref="NoPrune"/>,
    /// also removes its blobs that no other manifest refers to. Returns false when not found.
    /// </summary>
    public bool Delete(ModelName name)
    {
        if (!name.IsValid)
        {
            return false;
        }

        lock (_gate)
        {
            if (FindManifestPath(name) is not { } path)
            {
                return false;
            }

            var manifest = TryParseManifestFile(path);
            File.Delete(path);
            RemoveEmptyParents(Path.GetDirectoryName(path)!);

            if (!NoPrune && manifest is not null)
            {
                PruneUnreferencedLocked(manifest.AllBlobs.Select(l => l.Digest));
            }

            return true;
        }
    }

    /// <summary>
    /// Startup clean-up (Ollama does it unless OLLAMA_NOPRUNE; the caller decides): removes
    /// blobs no manifest refers to, partial/temp files older than <paramref name="partialFileMaxAge"/>,
    /// and empty folders under <c>manifests/</c>.
    /// </summary>
    public PruneResult Prune(TimeSpan? partialFileMaxAge = null)
    {
        var cutoff = DateTime.UtcNow - (partialFileMaxAge ?? DefaultPartialFileMaxAge);
        var removedBlobs = new List<BlobDigest>();
        var removedPartials = new List<string>();
        long freed = 0;

        lock (_gate)
        {
            var referenced = CollectReferencedDigests();
            var now = _time.GetUtcNow();
            if (Directory.Exists(Blobs.Directory))
            {
                foreach (var file in Directory.EnumerateFiles(Blobs.Directory, "*", EnumerationOptionsForStore.Flat))
                {
                    var info = new FileInfo(file);
                    if (BlobDigest.TryParseFileName(info.Name, out var digest))
                    {
                        if (!referenced.Contains(digest) && !_holds.IsHeld(digest, now) && TryDelete(info, ref freed))
                        {
                            removedBlobs.Add(digest);
                        }
                    }
                    else if (IsStaleTempFile(info, cutoff) && TryDelete(info, ref freed))
                    {
                        removedPartials.Add(info.Name);
                    }
                }
            }

            if (Directory.Exists(ManifestsDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(ManifestsDirectory, ".*", EnumerationOptionsForStore.Recursive))
                {
                    var info = new FileInfo(file);
                    if (info.Name.Contains(".tmp-", StringComparison.Ordinal) && info.LastWriteTimeUtc < cutoff && TryDelete(info, ref freed))
                    {
                        removedPartials.Add(Path.GetRelativePath(Root, file));
                    }
                }

                RemoveEmptyDirectories(ManifestsDirectory);
            }
        }

        return new PruneResult(removedBlobs, removedPartials, freed);
    }

    /// <summary>Reads a small text blob (template, system, license), or null when absent.</summary>
    public string? ReadText(ManifestLayer layer)
    {
        var path = Blobs.GetPath(layer.Digest);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>Reads the manifest's config blob; throws when it is missing or malformed.</summary>
    public ModelConfig ReadConfig(Manifest manifest) => ModelConfig.Parse(File.ReadAllBytes(Blobs.GetPath(manifest.Config.Digest)));

    /// <summary>Resumable pull state (<c>sha256-HEX-partial</c> and its <c>.json</c>) is kept this long, so a pull resumes after a restart.</summary>
    public static readonly TimeSpan ResumableDownloadMaxAge = TimeSpan.FromDays(7);

    private static bool IsStaleTempFile(FileInfo info, DateTime cutoff)
    {
        if (!info.Name.StartsWith("sha256", StringComparison.Ordinal) && !info.Name.StartsWith('.'))
        {
            return false;
        }

        var resumable = info.Name.EndsWith(BlobStore.PartialMarker, StringComparison.Ordinal)
            || info.Name.EndsWith(BlobStore.PartialMarker + ".json", StringComparison.Ordinal);
        var limit = resumable ? DateTime.UtcNow - ResumableDownloadMaxAge : cutoff;
        return info.LastWriteTimeUtc < limit;
    }

    private static bool TryDelete(FileInfo info, ref long freed)
    {
        try
        {
            var length = info.Length;
            info.Delete();
            freed += length;
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void RequireValid(ModelName name)
    {
        if (!name.IsValid)
        {
            throw new InvalidModelNameException(name, nameof(name));
        }
    }

    private static StoredModel? TryRead(ModelName name, string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var manifest = Manifest.Parse(bytes);
            var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            return new StoredModel(name, manifest, BlobDigest.Compute(bytes), manifest.TotalSize, modified, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The existing manifest file for the name, matching each part case-insensitively.</summary>
    private string? FindManifestPath(ModelName name)
    {
        var exact = StorePaths.Under(ManifestsDirectory, name.ManifestRelativePath);
        if (File.Exists(exact))
        {
            return exact;
        }

        var directory = ManifestsDirectory;
        string[] parts = [name.Host, name.Namespace, name.Model, name.Tag];
        for (var i = 0; i < parts.Length; i++)
        {
            var isLast = i == parts.Length - 1;
            var match = FindEntryIgnoringCase(directory, parts[i], (ModelNamePartKind)i, isLast);
            if (match is null)
            {
                return null;
            }

            directory = Path.Combine(directory, match);
        }

        return StorePaths.Under(ManifestsDirectory, Path.GetRelativePath(ManifestsDirectory, directory));
    }

    /// <summary>Where to write the name's manifest: existing folders/files of any case are reused.</summary>
    private string TargetManifestPath(ModelName name)
    {
        var directory = ManifestsDirectory;
        string[] parts = [name.Host, name.Namespace, name.Model, name.Tag];
        for (var i = 0; i < parts.Length; i++)
        {
            var isLast = i == parts.Length - 1;
            var exists = isLast ? File.Exists(Path.Combine(directory, parts[i])) : Directory.Exists(Path.Combine(directory, parts[i]));
            var segment = exists ? parts[i] : FindEntryIgnoringCase(directory, parts[i], (ModelNamePartKind)i, isLast) ?? parts[i];
            directory = Path.Combine(directory, segment);
        }

        return StorePaths.Under(ManifestsDirectory, Path.GetRelativePath(ManifestsDirectory, directory));
    }

    private static string? FindEntryIgnoringCase(string directory, string part, ModelNamePartKind kind, bool file)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var entries = file
            ? Directory.EnumerateFiles(directory, "*", EnumerationOptionsForStore.Flat)
            : Directory.EnumerateDirectories(directory, "*", EnumerationOptionsForStore.Flat);

        string? best = null;
        foreach (var entry in entries)
        {
            var entryName = Path.GetFileName(entry);

            // Only valid (hence ASCII) names may match, so Unicode case folding ('ı' ~ 'i') cannot sneak in.
            if (ModelNamePart.IsValid(kind, entryName)
                && string.Equals(entryName, part, StringComparison.OrdinalIgnoreCase)
                && (best is null || string.CompareOrdinal(entryName, best) < 0))
            {
                best = entryName;
            }
        }

        return best;
    }

    /// <summary>Digests used by any parseable manifest at any depth, so blobs of layouts we do not list stay safe.</summary>
    private HashSet<BlobDigest> CollectReferencedDigests()
    {
        var referenced = new HashSet<BlobDigest>();
        if (!Directory.Exists(ManifestsDirectory))
        {
            return referenced;
        }

        foreach (var file in Directory.EnumerateFiles(ManifestsDirectory, "*", EnumerationOptionsForStore.Recursive))
        {
            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }

            try
            {
                foreach (var layer in Manifest.Parse(File.ReadAllBytes(file)).AllBlobs)
                {
                    referenced.Add(layer.Digest);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // Ollama also ignores corrupt manifests here, so they cannot block deletion forever.
            }
        }

        return referenced;
    }

    private void RemoveEmptyParents(string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(ManifestsDirectory);
        while (directory.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
               && Directory.Exists(directory)
               && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
            directory = Path.GetDirectoryName(directory)!;
        }
    }

    private static void RemoveEmptyDirectories(string root)
    {
        foreach (var directory in Directory.EnumerateDirectories(root, "*", EnumerationOptionsForStore.Flat))
        {
            // Never follow a symlinked folder: what lies behind it is not ours to delete.
            if (new DirectoryInfo(directory).LinkTarget is not null)
            {
                continue;
            }

            RemoveEmptyDirectories(directory);
            try
            {
                if (!Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
            catch (IOException)
            {
                // A concurrent write just put something there; keep it.
            }
        }
    }
}
