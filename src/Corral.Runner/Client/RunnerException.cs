namespace Corral.Runner.Client;

/// <summary>The runner failed to start, died, or reported an error for a request.</summary>
public sealed class RunnerException(string message, Exception? inner = null) : Exception(message, inner);
