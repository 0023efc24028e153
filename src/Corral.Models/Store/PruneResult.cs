using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>What a prune removed.</summary>
public sealed record PruneResult(IReadOnlyList<BlobDigest> RemovedBlobs, IReadOnlyList<string> RemovedPartialFiles, long BytesFreed);
