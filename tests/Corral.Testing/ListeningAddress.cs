using System.Diagnostics;

namespace Corral.Testing;

/// <summary>
/// Where a child HTTP server (<c>corral serve</c>, <c>corral gateway</c>) told to listen on port 0 ended up: the system
/// picks a free port as the server binds it, so no other process can take a port picked beforehand, and the server's
/// log says which ("Now listening on: http://127.0.0.1:NNNNN"). Feed it every output line.
/// </summary>
public sealed class ListeningAddress
{
    private const string Listening = "Now listening on: ";
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Looks for the line that names the address.</summary>
    public void Notice(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var at = line.IndexOf(Listening, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(line[(at + Listening.Length)..].Trim(), UriKind.Absolute, out var address))
        {
            _address.TrySetResult(new Uri(address, "/"));
        }
    }

    /// <summary>
    /// The address, once <paramref name="process"/> has said it; fails with its log (<paramref name="log"/>) when it
    /// exits first or stays silent for <paramref name="timeout"/>.
    /// </summary>
    public async Task<Uri> WaitAsync(Process process, string what, TimeSpan timeout, Func<string> log)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(log);
        var ended = process.WaitForExitAsync();
        var first = await Task.WhenAny(_address.Task, ended, Task.Delay(timeout));
        if (first == _address.Task)
        {
            return await _address.Task;
        }

        // WaitForExitAsync completes once the output is read to its end: the log is whole.
        throw first == ended
            ? new InvalidOperationException($"{what} exited with {process.ExitCode}:\n{log()}")
            : new TimeoutException($"{what} did not say where it listens:\n{log()}");
    }
}
