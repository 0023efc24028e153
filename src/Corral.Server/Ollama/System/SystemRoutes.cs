using Corral.Api;
using Corral.Api.Ollama;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Server.Ollama.System;

/// <summary><c>GET|HEAD /</c> and <c>GET|HEAD /api/version</c>.</summary>
public static class SystemRoutes
{
    public const string RunningBanner = "Ollama is running";

    /// <summary>
    /// The Ollama API level Corral implements. /api/version reports this, not Corral's own version,
    /// because clients gate features on Ollama's version numbers.
    /// </summary>
    public const string Version = CorralVersion.OllamaApi;

    public static IEndpointRouteBuilder MapSystemRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], static (HttpContext http) =>
        {
            StampBuild(http);
            return Results.Text(RunningBanner);
        });
        routes.MapMethods("/api/version", [HttpMethods.Get, HttpMethods.Head], static (HttpContext http) =>
        {
            StampBuild(http);
            return Results.Json(new VersionResponse { Version = Version }, OllamaJsonContext.Wire.VersionResponse);
        });
        return routes;
    }

    /// <summary>Corral's own version travels in a header, where it can't confuse a client reading Ollama's.</summary>
    private static void StampBuild(HttpContext http) => http.Response.Headers[CorralVersion.HeaderName] = CorralVersion.Build;
}
