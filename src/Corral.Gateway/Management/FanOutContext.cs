using Corral.Gateway.Configuration;
using Corral.Gateway.Fleet;
using Corral.Gateway.Observability;
using Corral.Gateway.Proxy;
using Microsoft.AspNetCore.Http;

namespace Corral.Gateway.Management;

/// <summary>What the fan-out routes share: the fleet, the client to reach it, metrics, and which backends a call targets.</summary>
public sealed class FanOutContext(BackendFleet fleet, BackendClient client, FleetMonitor monitor, GatewayMetrics metrics, GatewaySettings settings)
{
    public BackendClient Client => client;

    public FleetMonitor Monitor => monitor;

    public GatewayMetrics Metrics => metrics;

    public GatewaySettings Settings => settings;

    /// <summary>The backend named by <c>X-Corral-Backend</c>, else every backend that is up; null after answering an error.</summary>
    public async Task<IReadOnlyList<Backend>?> TargetsAsync(HttpContext http)
    {
        var named = http.Request.Headers[GatewayTransformer.BackendHeader].ToString();
        if (named.Length > 0)
        {
            if (fleet.Find(named) is { } backend)
            {
                return [backend];
            }

            await GatewayErrors.WriteAsync(http, StatusCodes.Status404NotFound, $"no backend named '{named}'").ConfigureAwait(false);
            return null;
        }

        var up = fleet.All.Where(b => b.View.Up).ToList();
        if (up.Count == 0)
        {
            await GatewayErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "no backend is available").ConfigureAwait(false);
            return null;
        }

        return up;
    }
}
