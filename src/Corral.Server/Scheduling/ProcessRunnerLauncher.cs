using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Scheduling;

/// <summary>
/// Starts each runner as a <c>corral runner</c> child process (<see cref="RunnerProcess"/>), its output forwarded to
/// <paramref name="runnerLog"/> (the server's log, as Ollama's carries its runners' output).
/// </summary>
/// <param name="runnerLog">Where the runners' output lines go; null drops them.</param>
public sealed class ProcessRunnerLauncher(ILogger<RunnerProcess>? runnerLog = null) : IRunnerLauncher
{
    public async Task<IModelRunner> StartAsync(RunnerLaunchOptions launch, CancellationToken cancellation) =>
        await RunnerProcess.StartAsync(launch, progress: null, runnerLog, cancellation).ConfigureAwait(false);
}
