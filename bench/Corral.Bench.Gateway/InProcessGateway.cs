using Corral.Gateway.Configuration;
using Corral.Gateway.Hosting;
using Corral.Server.Configuration;
using Corral.Testing;
using Microsoft.AspNetCore.Builder;

namespace Corral.Bench.Gateway;

/// <summary>A real gateway (Kestrel, YARP's forwarder, the fleet monitor) run inside the bench process on a free loopback port.</summary>
internal sealed class InProcessGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessGateway(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<InProcessGateway> StartAsync(IEnumerable<(string Name, Uri Address)> backends)
    {
        var port = ChildProcessReadiness.FreeLoopbackPort();
        var settings = new GatewaySettings
        {
            Host = new OllamaHost("http", "127.0.0.1", port),
            Backends = backends.Select(b => BackendAddress.Create(b.Name, b.Address.ToString())).ToList(),
            RefreshInterval = TimeSpan.FromMilliseconds(250),
        };
        var app = GatewayServer.Build(settings);
        await app.StartAsync().ConfigureAwait(false);
        var gateway = new InProcessGateway(app, new Uri($"http://127.0.0.1:{port}/"));
        await gateway.WaitForBackendsAsync(settings.Backends.Count).ConfigureAwait(false);
        return gateway;
    }

    /// <summary>Until the fleet monitor has seen every backend up and its model loaded (so the first request is routed by load).</summary>
    private async Task WaitForBackendsAsync(int count)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var text = await http.GetStringAsync("/metrics").ConfigureAwait(false);
            if (text.Split('\n').Count(l => l.StartsWith("corral_gateway_backend_loaded_models{", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal)) == count)
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException("the gateway did not see every backend with its model loaded");
    }

    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        return await http.GetStringAsync("/metrics").ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
