using Corral.Runner.Client;
using Corral.Runner.Hosting;

namespace Corral.Server.Scheduling;

/// <summary>Starts each runner as a <c>corral runner</c> child process (<see cref="RunnerProcess"/>).</summary>
public sealed class ProcessRunnerLauncher : IRunnerLauncher
{
    public async Task<IModelRunner> StartAsync(RunnerLaunchOptions launch, CancellationToken cancellation) =>
        await RunnerProcess.StartAsync(launch, progress: null, cancellation).ConfigureAwait(false);
}
