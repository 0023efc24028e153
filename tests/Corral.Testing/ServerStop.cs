namespace Corral.Testing;

/// <summary>How a server ended: whether it was still running, how long SIGTERM took, its exit code, whether it had to be killed.</summary>
public sealed record ServerStop(bool WasRunning, TimeSpan Took, int ExitCode, bool Killed);
