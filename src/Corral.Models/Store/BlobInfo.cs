using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>A blob in the store: its digest and size in bytes.</summary>
public sealed record BlobInfo(BlobDigest Digest, long Size);
