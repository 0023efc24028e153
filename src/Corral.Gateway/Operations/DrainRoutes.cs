using Corral.Gateway.Configuration;
using Corral.Gateway.Fleet;
using Corral.Gateway.Proxy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Gateway.Operations;

/// <summary>
/// The gateway's own operations routes (admin scope when keys are on: they are not in serve's scope table):
/// <c>GET /gateway/backends</c>, and <c>POST /gateway/backends/{name}/drain</c> and <c>/resume</c>. A draining backend
/// gets no new requests; those in flight finish there; its models still show in the union views.
/// </summary>
public static class DrainRoutes
{
    public const string Prefix = "/gateway/backends";

    public static IEndpointRouteBuilder MapDrainRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Prefix, static (BackendFleet fleet) => List(fleet));
        routes.MapPost(Prefix + "/{name}/drain", static (HttpContext http, string name, BackendFleet fleet) => SetAsync(http, fleet, name, draining: true));
        routes.MapPost(Prefix + "/{name}/resume", static (HttpContext http, string name, BackendFleet fleet) => SetAsync(http, fleet, name, draining: false));
        return routes;
    }

    private static async Task SetAsync(HttpContext http, BackendFleet fleet, string name, bool draining)
    {
        if (fleet.Find(name) is not { } backend)
        {
            await GatewayErrors.WriteAsync(http, StatusCodes.Status404NotFound, $"no backend named '{name}'").ConfigureAwait(false);
            return;
        }

        backend.SetDraining(draining);
        await List(fleet).ExecuteAsync(http).ConfigureAwait(false);
    }

    private static IResult List(BackendFleet fleet) => Results.Json(new BackendStatusList
    {
        Backends = fleet.All.Select(b => new BackendStatus
        {
            Name = b.Name,
            Url = b.BaseAddress.ToString(),
            Up = b.View.Up,
            Draining = b.IsDraining,
            InFlight = b.InFlight,
            QueueDepth = b.View.QueueDepth,
            Loaded = b.View.Loaded.Keys.Order(StringComparer.Ordinal).ToList(),
            Error = b.View.Up ? null : b.View.Error,
        }).ToList(),
    }, GatewayJsonContext.Default.BackendStatusList);
}
