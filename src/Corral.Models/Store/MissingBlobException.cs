using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>A manifest was about to be written that refers to a blob the store does not hold.</summary>
public sealed class MissingBlobException(BlobDigest digest)
    : IOException($"blob {digest} is missing from the store")
{
    public BlobDigest Digest { get; } = digest;
}
