namespace Corral.Runner.Client;

/// <summary>
/// A started runner as the server's scheduler sees it: the client to talk to it, when and why it ended, and disposal
/// (stopping it). <see cref="RunnerProcess"/> is the real one; the scheduler's unit tests stand in fakes.
/// </summary>
public interface IModelRunner : IAsyncDisposable
{
    RunnerClient Client { get; }

    /// <summary>Completes when the runner ends for any reason.</summary>
    Task Exited { get; }

    bool HasExited { get; }

    /// <summary>Why the runner ended, worded for a client.</summary>
    string ExitReason { get; }
}
