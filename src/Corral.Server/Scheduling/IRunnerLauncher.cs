using Corral.Runner.Client;
using Corral.Runner.Hosting;

namespace Corral.Server.Scheduling;

/// <summary>Starts a runner for a model and returns it once it is ready to serve (the scheduler's seam to processes).</summary>
public interface IRunnerLauncher
{
    /// <summary>Starts a runner with <paramref name="launch"/> and waits until it has loaded the model; throws when the load fails.</summary>
    Task<IModelRunner> StartAsync(RunnerLaunchOptions launch, CancellationToken cancellation);
}
