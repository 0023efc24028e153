using Corral.Gateway.Configuration;
using Corral.Gateway.Fleet;
using Corral.Gateway.Management;
using Corral.Gateway.Observability;
using Corral.Gateway.Operations;
using Corral.Gateway.Proxy;
using Corral.Gateway.Routing;
using Corral.Gateway.Views;
using Corral.Server.Hosting;
using Corral.Server.Http;
using Corral.Server.Observability;
using Corral.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Corral.Gateway.Hosting;

/// <summary>Composition root of <c>corral gateway</c>: the fleet and its monitor, YARP's forwarder, middleware and routes.</summary>
public static class GatewayServer
{
    /// <summary>Requests that name a model and go to one backend, by the same route patterns as <c>serve</c> (so the API key scopes match).</summary>
    private static readonly string[] ModelRoutes =
    [
        "/api/generate", "/api/chat", "/api/embed", "/api/embeddings", "/api/rerank", "/api/tokenize", "/api/detokenize",
        "/api/show", "/api/push",
        "/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses", "/v1/rerank",
        "/v1/messages", "/v1/messages/count_tokens",
    ];

    public static WebApplication Build(GatewaySettings settings, string[]? args = null)
    {
        if (settings.Backends.Count == 0)
        {
            throw new FormatException("no backends: set CORRAL_GATEWAY_BACKENDS (comma-separated [name=]url) or CORRAL_GATEWAY_CONFIG");
        }

        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        ServerLogging.Configure(builder.Logging, settings.Debug);
        // YARP logs every failed attempt as an error; the gateway logs its retries itself.
        builder.Logging.AddFilter("Yarp", settings.Debug ? LogLevel.Information : LogLevel.Critical);
        builder.WebHost.UseUrls(settings.Host.ToUri().ToString());
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // blob uploads are streamed; JSON bodies are bounded by the gateway
            k.AddServerHeader = false;
        });

        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new HostAndOriginPolicy(settings.ForHttpHygiene()));
        builder.Services.AddSingleton<BackendFleet>();
        builder.Services.AddSingleton<BackendPicker>();
        builder.Services.AddSingleton<BackendClient>();
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<ModelForwarder>();
        builder.Services.AddSingleton<FanOutContext>();
        builder.Services.AddSingleton<FleetMonitor>();
        builder.Services.AddHostedService(static sp => sp.GetRequiredService<FleetMonitor>());

        var app = builder.Build();
        var apiKeys = settings.ApiKeysFile is { } keysFile
            ? ApiKeyFile.Open(keysFile, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ApiKeyFile>())
            : null;

        app.UseMiddleware<HttpHygieneMiddleware>();
        if (apiKeys is not null)
        {
            app.UseMiddleware<ApiKeyMiddleware>(apiKeys);
        }

        app.MapUnionRoutes();
        app.MapFanOutRoutes();
        app.MapDrainRoutes();
        foreach (var route in ModelRoutes)
        {
            app.MapPost(route, static (HttpContext http, ModelForwarder forwarder) => forwarder.ForwardAsync(http));
        }

        app.MapGet("/v1/models/{**model}", static (HttpContext http, string model, ModelForwarder forwarder) => forwarder.ForwardAsync(http, model));
        app.MapGet("/metrics", static (GatewayMetrics metrics) => Results.Text(metrics.Render(), PrometheusText.ContentType));

        // Anything else (a route a newer server has) goes to the least loaded backend as it is.
        app.MapFallback(static (HttpContext http, ModelForwarder forwarder) => forwarder.ForwardAsync(http));
        return app;
    }
}
