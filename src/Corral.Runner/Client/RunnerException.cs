namespace Corral.Runner.Client;

/// <summary>The runner failed to start, died, or reported an error for a request.</summary>
public sealed class RunnerException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when the runner refused the request itself (e.g. an image it cannot decode): the client's fault, a 400.</summary>
    public bool IsBadRequest { get; init; }

    /// <summary>
    /// True when the runner process was gone (unreachable, or it died) before the request produced anything the
    /// caller has seen: the request can run again on a fresh runner (<c>InferenceService.WithRunnerAsync</c>).
    /// </summary>
    public bool IsRunnerGone { get; init; }
}
