using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Corral.Testing;

namespace Corral.Gateway.Tests;

/// <summary>A real <c>corral gateway</c> process on a port the system picks, in front of the given servers. Dispose stops it.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ListeningAddress _listening = new();
    private readonly ProcessOutputLog _log;

    private GatewayProcess(Process process)
    {
        _process = process;
        _log = ProcessOutputLog.Capture(process, observer: _listening.Notice);
    }

    /// <summary>Where it listens: the port the system gave it, as its log says.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public string HostAndPort => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public string Log => _log.Text;

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(3) };

    /// <param name="backends">Name and server of each backend, in order.</param>
    /// <param name="environment">Variables added to or overriding the gateway's environment.</param>
    public static async Task<GatewayProcess> StartAsync(IEnumerable<(string Name, Uri Address)> backends, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        info.ArgumentList.Add("gateway");
        info.Environment["CORRAL_GATEWAY_HOST"] = "127.0.0.1:0"; // the system picks the port; the log says which
        info.Environment["CORRAL_GATEWAY_BACKENDS"] = string.Join(',', backends.Select(b => $"{b.Name}={b.Address}"));
        info.Environment["CORRAL_GATEWAY_REFRESH_MS"] = "200";
        info.Environment.Remove("CORRAL_API_KEYS_FILE");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start corral gateway");
        var gateway = new GatewayProcess(process);
        try
        {
            gateway.BaseAddress = await gateway._listening.WaitAsync(process, "corral gateway", TimeSpan.FromSeconds(60), () => gateway.Log);
            await ChildProcessReadiness.WaitForHttpOkAsync(process, new Uri(gateway.BaseAddress, "/"), "corral gateway", TimeSpan.FromSeconds(60), () => gateway.Log);
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    /// <summary>Waits until the gateway's view of the fleet satisfies <paramref name="condition"/> (it refreshes every 200 ms).</summary>
    public async Task<JsonElement> WaitForBackendsAsync(Func<JsonElement, bool> condition, string what, HttpClient? http = null)
    {
        using var own = http is null ? CreateClient() : null;
        var client = http ?? own!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetFromJsonAsync<JsonElement>("/gateway/backends");
            if (condition(last.GetProperty("backends")))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the gateway never saw {what}; last: {last}\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Terminate(_process.Id);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }
}
