using Corral.Runner.Protocol;
using Corral.Server.Models;
using Corral.Server.Scheduling;

namespace Corral.Server.Inference;

/// <summary>
/// A validated, rendered request holding a runner slot: what every API surface (native NDJSON,
/// OpenAI SSE) streams from. Dispose to give the slot back.
/// </summary>
public sealed class PreparedCompletion(ResolvedModel model, RunnerLease lease, CompletionRequest request, long started) : IAsyncDisposable
{
    public ResolvedModel Model { get; } = model;

    public RunnerLease Lease { get; } = lease;

    public CompletionRequest Request { get; } = request;

    /// <summary>Stopwatch timestamp when the HTTP request arrived (for total_duration).</summary>
    public long Started { get; } = started;

    public IAsyncEnumerable<CompletionChunk> StreamAsync(CancellationToken cancellation) => Lease.Client.CompleteAsync(Request, cancellation);

    public ValueTask DisposeAsync() => Lease.DisposeAsync();
}
