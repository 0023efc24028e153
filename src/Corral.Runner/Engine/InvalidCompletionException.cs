namespace Corral.Runner.Engine;

/// <summary>
/// A completion request the engine refuses before it starts (an image it cannot decode, an image tag
/// without an image, a prompt with images longer than the context): the runner answers HTTP 400.
/// </summary>
public sealed class InvalidCompletionException(string message) : Exception(message);
