using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Scheduling;

/// <summary>
/// Starts each runner as a <c>corral runner</c> child process (<see cref="RunnerProcess"/>) that sees the server's
/// variables (<paramref name="environment"/>: the process environment for <c>corral serve</c>), its output forwarded to
/// <paramref name="runnerLog"/> (the server's log, as Ollama's carries its runners' output).
/// </summary>
/// <param name="environment">The server's variables, which its runners see.</param>
/// <param name="runnerLog">Where the runners' output lines go; null drops them.</param>
public sealed class ProcessRunnerLauncher(EnvironmentSource environment, ILogger<RunnerProcess>? runnerLog = null) : IRunnerLauncher
{
    public ProcessRunnerLauncher()
        : this(EnvironmentSource.Process)
    {
    }

    public async Task<IModelRunner> StartAsync(RunnerLaunchOptions launch, CancellationToken cancellation) =>
        await RunnerProcess.StartAsync(launch, environment, progress: null, runnerLog, cancellation).ConfigureAwait(false);
}
