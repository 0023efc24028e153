using Corral.Api.Native;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Server.Native.System;

/// <summary><c>GET|HEAD /</c> and <c>GET|HEAD /api/version</c>.</summary>
public static class SystemRoutes
{
    public const string RunningBanner = "Ollama is running";

    /// <summary>
    /// The Ollama API level Corral implements. /api/version reports this, not Corral's own version,
    /// because clients gate features on Ollama's version numbers.
    /// </summary>
    public const string Version = "0.12.6";

    public static IEndpointRouteBuilder MapSystemRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], static () => Results.Text(RunningBanner));
        routes.MapMethods("/api/version", [HttpMethods.Get, HttpMethods.Head], static () =>
            Results.Json(new VersionResponse { Version = Version }, NativeJsonContext.Wire.VersionResponse));
        return routes;
    }
}
