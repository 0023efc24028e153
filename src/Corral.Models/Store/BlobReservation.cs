using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>
/// Keeps blobs safe from every prune (replaced manifest, delete, start-up) while an operation
/// that will refer to them runs: take it before checking that a blob exists or writing it, write the
/// manifest, then dispose. Each digest counts once per reservation however often it is added.
/// </summary>
public sealed class BlobReservation : IDisposable
{
    private readonly ModelStore _store;
    private readonly HashSet<BlobDigest> _digests = [];
    private bool _disposed;

    internal BlobReservation(ModelStore store) => _store = store;

    /// <summary>Reserves one more blob (e.g. a layer the operation is about to write).</summary>
    public void Add(BlobDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        _store.WithHolds(holds =>
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_digests.Add(digest))
            {
                holds.Reserve(digest);
            }
        });
    }

    public void Dispose() => _store.WithHolds(holds =>
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var digest in _digests)
        {
            holds.Release(digest);
        }
    });
}
