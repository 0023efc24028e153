using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>Content written to the blob store did not hash to the digest it was promised under.</summary>
public sealed class DigestMismatchException(BlobDigest expected, BlobDigest actual)
    : IOException($"digest mismatch: expected {expected}, got {actual}")
{
    public BlobDigest Expected { get; } = expected;
    public BlobDigest Actual { get; } = actual;
}
