using Corral.Models.Store;
using Corral.Runner.Client;
using Corral.Server.Configuration;
using Corral.Server.Resolution;
using Corral.Server.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Ollama.Management;

/// <summary>Model management: tags, show, create, copy, delete, blobs.</summary>
public static class ManagementRoutes
{
    public static IEndpointRouteBuilder MapManagementRoutes(this IEndpointRouteBuilder routes)
    {
        // Ollama prunes before it starts serving; route mapping runs once, before the server listens.
        var services = routes.ServiceProvider;
        StorePruning.RunAtStartup(
            services.GetRequiredService<ModelStore>(),
            services.GetRequiredService<ServerSettings>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Corral.Server.Store"));

        routes.MapMethods("/api/tags", [HttpMethods.Get, HttpMethods.Head], static (ModelResolver resolver) => TagsEndpoint.Handle(resolver));
        routes.MapPost("/api/show", static (HttpContext http, ModelResolver resolver) => ShowEndpoint.HandleAsync(http, resolver));
        routes.MapPost("/api/create", static (HttpContext http, ModelStore store, EnvironmentSource environment, ILoggerFactory loggers) => CreateEndpoint.HandleAsync(http, store, environment, loggers));
        routes.MapPost("/api/copy", static (HttpContext http, ModelStore store) => CopyEndpoint.HandleAsync(http, store));
        routes.MapDelete("/api/delete", static (HttpContext http, ModelStore store, ModelScheduler scheduler) => DeleteEndpoint.HandleAsync(http, store, scheduler));

        // Catch-all, so that a digest with '/' in it reaches the handler and gets its 400.
        routes.MapMethods("/api/blobs/{**digest}", [HttpMethods.Head], static (string? digest, ModelStore store) => BlobEndpoints.Head(digest, store));
        routes.MapPost("/api/blobs/{**digest}", static (HttpContext http, string? digest, ModelStore store) => BlobEndpoints.PostAsync(http, digest, store));
        return routes;
    }
}
