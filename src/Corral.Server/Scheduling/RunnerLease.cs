using System.Diagnostics;
using Corral.Runner.Client;

namespace Corral.Server.Scheduling;

/// <summary>One slot of a loaded model, held for one request. Dispose to give it back.</summary>
public sealed class RunnerLease : IAsyncDisposable
{
    private readonly ModelScheduler _scheduler;
    private int _released;

    internal RunnerLease(ModelScheduler scheduler, LoadedModel model)
    {
        _scheduler = scheduler;
        Model = model;
        AcquiredAt = Stopwatch.GetTimestamp();
    }

    public LoadedModel Model { get; }

    public RunnerClient Client => Model.Runner.Client;

    /// <summary>Stopwatch timestamp when the slot was granted: the runner was ready for this request.</summary>
    public long AcquiredAt { get; }

    /// <summary>
    /// Ollama's load_duration: from the request's arrival (<paramref name="requestStarted"/>, a Stopwatch timestamp)
    /// until its runner was ready, in nanoseconds. It includes waiting for a load or a slot, so it is always
    /// positive (at least 1), also for a model that was already loaded; clients rely on the field being there.
    /// </summary>
    public long LoadDurationSince(long requestStarted) =>
        Math.Max(1, (long)Stopwatch.GetElapsedTime(requestStarted, AcquiredAt).TotalNanoseconds);

    /// <summary>Keep-alive to apply when this request ends (the latest request's value wins, as in Ollama).</summary>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>Waits (at most <paramref name="limit"/>) until the runner process has exited, so the scheduler drops it.</summary>
    public async Task WaitForRunnerExitAsync(TimeSpan limit, CancellationToken cancellation)
    {
        try
        {
            await Model.Runner.Exited.WaitAsync(limit, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still running: the retry finds out whether it answers now.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _scheduler.ReleaseAsync(this).ConfigureAwait(false);
        }
    }
}
