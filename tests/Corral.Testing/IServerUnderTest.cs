namespace Corral.Testing;

/// <summary>
/// A Corral server a test talks to, whether it runs as a <c>corral serve</c> process (<see cref="ServerProcess"/>) or
/// inside the test host (<see cref="InProcessServer"/>): a fixture switches between them on the line that starts it.
/// Either way its runners are real child processes, and disposing it stops them and removes a temp model store.
/// </summary>
public interface IServerUnderTest : IAsyncDisposable
{
    Uri BaseAddress { get; }

    /// <summary>OLLAMA_MODELS of this server (a fresh temp folder unless given).</summary>
    string ModelsPath { get; }

    /// <summary>host:port, as OLLAMA_HOST for clients.</summary>
    string HostAndPort { get; }

    /// <summary>The server's log lines so far (all, or the last ones when <see cref="ServerOutput"/> bounds them).</summary>
    string Log { get; }

    /// <summary>True once the server has stopped (or its process ended).</summary>
    bool HasExited { get; }

    HttpClient CreateClient();

    /// <summary>Process ids of the runners this server started (found by their command line, which names its store).</summary>
    IReadOnlyList<int> RunnerProcessIds();

    /// <summary>Stops the server gracefully (its runners with it), giving up waiting after <paramref name="grace"/>; says how it ended.</summary>
    Task<ServerStop> StopAsync(TimeSpan grace);
}
