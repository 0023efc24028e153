using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Corral.Testing;

/// <summary>What every test-started child process needs: a free loopback port, and a wait until it answers HTTP 200.</summary>
public static class ChildProcessReadiness
{
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="probe"/> until it answers 200; fails with the process's log if it exits or never answers.</summary>
    public static async Task WaitForHttpOkAsync(Process process, Uri probe, string what, TimeSpan timeout, Func<string> log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with {process.ExitCode}:\n{log()}");
            }

            try
            {
                using var response = await http.GetAsync(probe);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not come up:\n{log()}");
    }
}
