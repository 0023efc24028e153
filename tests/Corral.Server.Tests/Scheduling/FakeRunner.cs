using Corral.Runner.Client;
using Corral.Runner.Hosting;

namespace Corral.Server.Tests.Scheduling;

/// <summary>
/// A runner that is no process: a test ends it (<see cref="Crash"/>) and sees when the scheduler stops it, and can hold
/// a stop open (<see cref="StopGate"/>) the way a killed process can take seconds to exit.
/// </summary>
internal sealed class FakeRunner(RunnerLaunchOptions launch) : IModelRunner
{
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _exitReason = "the model runner stopped";

    public RunnerLaunchOptions Launch { get; } = launch;

    /// <summary>Never connected: the scheduler only hands it on to requests.</summary>
    public RunnerClient Client { get; } = new("/nonexistent/corral-fake-runner.sock");

    public Task Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public string ExitReason => _exitReason;

    /// <summary>Completes when the scheduler first disposes (stops) this runner.</summary>
    public Task StopRequested => _stopRequested.Task;

    public bool IsStopRequested => _stopRequested.Task.IsCompleted;

    /// <summary>When set, a stop does not finish until it completes.</summary>
    public TaskCompletionSource? StopGate { get; set; }

    /// <summary>The runner ends on its own, as a crashed process does.</summary>
    public void Crash(string reason)
    {
        _exitReason = reason;
        _exited.TrySetResult();
    }

    public ValueTask DisposeAsync()
    {
        _stopRequested.TrySetResult();
        return new ValueTask(StopAsync());
    }

    private async Task StopAsync()
    {
        if (StopGate is { } gate)
        {
            await gate.Task.ConfigureAwait(false);
        }

        Client.Dispose();
        _exited.TrySetResult();
    }
}
