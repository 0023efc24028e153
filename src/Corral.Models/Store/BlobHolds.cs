using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>
/// Blobs a prune must leave alone although no manifest on disk refers to them yet: those an
/// operation in flight is about to put in a manifest (reservations, counted, released when the
/// operation ends) and those a client uploaded or asked about for a later create (timed holds, ended
/// early once a manifest claims the blob, because from then on the manifest protects it).
/// Not thread-safe: <see cref="ModelStore"/> calls it under its store lock, the same lock every
/// manifest write and every prune takes, so a hold is either in place before a prune scans or the
/// prune has finished and the holder will find the blob missing and fetch or write it again.
/// </summary>
internal sealed class BlobHolds
{
    private const int SweepThreshold = 1024;

    private readonly Dictionary<BlobDigest, int> _reserved = [];
    private readonly Dictionary<BlobDigest, DateTimeOffset> _timed = [];

    public void Reserve(BlobDigest digest) => _reserved[digest] = _reserved.GetValueOrDefault(digest) + 1;

    public void Release(BlobDigest digest)
    {
        if (_reserved.TryGetValue(digest, out var count))
        {
            if (count <= 1)
            {
                _reserved.Remove(digest);
            }
            else
            {
                _reserved[digest] = count - 1;
            }
        }
    }

    public void HoldUntil(BlobDigest digest, DateTimeOffset until, DateTimeOffset now)
    {
        if (_timed.Count >= SweepThreshold)
        {
            // Failed uploads leave holds nobody claims; drop the expired ones so the table stays small.
            foreach (var (held, expiry) in _timed.ToList())
            {
                if (expiry <= now)
                {
                    _timed.Remove(held);
                }
            }
        }

        if (!_timed.TryGetValue(digest, out var current) || current < until)
        {
            _timed[digest] = until;
        }
    }

    /// <summary>A manifest now refers to these blobs: their timed holds have done their job.</summary>
    public void Claim(IEnumerable<BlobDigest> digests)
    {
        foreach (var digest in digests)
        {
            _timed.Remove(digest);
        }
    }

    public bool IsHeld(BlobDigest digest, DateTimeOffset now)
    {
        if (_reserved.ContainsKey(digest))
        {
            return true;
        }

        if (_timed.TryGetValue(digest, out var until))
        {
            if (until > now)
            {
                return true;
            }

            _timed.Remove(digest);
        }

        return false;
    }
}
