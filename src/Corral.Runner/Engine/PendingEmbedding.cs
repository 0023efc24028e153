using Corral.Runner.Protocol;

namespace Corral.Runner.Engine;

internal sealed class PendingEmbedding(EmbeddingRequest request, CancellationToken cancellation)
{
    public EmbeddingRequest Request { get; } = request;

    public CancellationToken Cancellation { get; } = cancellation;

    public TaskCompletionSource<EmbeddingResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
