using Corral.Runner.Client;

namespace Corral.Server.Scheduling;

/// <summary>One slot of a loaded model, held for one request. Dispose to give it back.</summary>
public sealed class RunnerLease : IAsyncDisposable
{
    private readonly ModelScheduler _scheduler;
    private int _released;

    internal RunnerLease(ModelScheduler scheduler, LoadedModel model, long loadDuration)
    {
        _scheduler = scheduler;
        Model = model;
        LoadDuration = loadDuration;
    }

    public LoadedModel Model { get; }

    public RunnerClient Client => Model.Runner.Client;

    /// <summary>Nanoseconds spent loading for this request (0 when the model was already loaded).</summary>
    public long LoadDuration { get; }

    /// <summary>Keep-alive to apply when this request ends (the latest request's value wins, as in Ollama).</summary>
    public TimeSpan? KeepAlive { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _scheduler.ReleaseAsync(this).ConfigureAwait(false);
        }
    }
}
