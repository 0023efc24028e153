using Corral.Runner.Protocol;

namespace Corral.Runner.Engine;

internal sealed class PendingRerank(RerankRequest request, CancellationToken cancellation)
{
    public RerankRequest Request { get; } = request;

    public CancellationToken Cancellation { get; } = cancellation;

    public TaskCompletionSource<RerankResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
