namespace Corral.Runner.Client;

/// <summary>The runner failed to start, died, or reported an error for a request.</summary>
public sealed class RunnerException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when the runner refused the request itself (e.g. an image it cannot decode): the client's fault, a 400.</summary>
    public bool IsBadRequest { get; init; }
}
