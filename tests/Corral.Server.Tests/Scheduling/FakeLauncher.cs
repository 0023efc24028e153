using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Server.Scheduling;

namespace Corral.Server.Tests.Scheduling;

/// <summary>
/// Starts <see cref="FakeRunner"/>s at once, or when <see cref="Gate"/> completes (a load in progress; a fault is a
/// failed load). Records each launch, and whether a runner the scheduler had told to stop was still stopping then.
/// </summary>
internal sealed class FakeLauncher : IRunnerLauncher
{
    private readonly List<FakeRunner> _runners = [];
    private readonly List<RunnerLaunchOptions> _launches = [];
    private TaskCompletionSource _launchBegan = NewSignal();

    /// <summary>When set, launches wait for it (or their cancellation) before starting a runner.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Launches begun while an earlier runner's stop had been asked for but not finished.</summary>
    public int LaunchesWhileAnotherStopped { get; private set; }

    public IReadOnlyList<RunnerLaunchOptions> Launches
    {
        get
        {
            lock (_runners)
            {
                return [.. _launches];
            }
        }
    }

    public IReadOnlyList<FakeRunner> Runners
    {
        get
        {
            lock (_runners)
            {
                return [.. _runners];
            }
        }
    }

    /// <summary>Completes when the next launch begins (reset with <see cref="ExpectLaunch"/>).</summary>
    public Task LaunchBegan => _launchBegan.Task;

    public void ExpectLaunch() => _launchBegan = NewSignal();

    public async Task<IModelRunner> StartAsync(RunnerLaunchOptions launch, CancellationToken cancellation)
    {
        lock (_runners)
        {
            _launches.Add(launch);
            if (_runners.Any(r => r.IsStopRequested && !r.HasExited))
            {
                LaunchesWhileAnotherStopped++;
            }
        }

        _launchBegan.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellation).ConfigureAwait(false);
        }

        var runner = new FakeRunner(launch);
        lock (_runners)
        {
            _runners.Add(runner);
        }

        return runner;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
