namespace Corral.Testing;

/// <summary>
/// How a <see cref="ServerProcess"/> keeps its output: all of it (tests read it in failure messages), or only the last
/// lines for a server that runs long under load, with an observer that sees every line (a soak counts warnings).
/// </summary>
public sealed record ServerOutput(int? KeepLastLines = null, Action<string>? Observer = null);
