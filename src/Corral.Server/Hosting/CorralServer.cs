using Corral.Models.Store;
using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Server.Anthropic;
using Corral.Server.Configuration;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Corral.Server.Ollama.Inference;
using Corral.Server.Ollama.Management;
using Corral.Server.Ollama.Registry;
using Corral.Server.Ollama.System;
using Corral.Server.Observability;
using Corral.Server.OpenAI;
using Corral.Server.OpenAI.Responses;
using Corral.Server.OpenAI.Responses.Storage;
using Corral.Server.Scheduling;
using Corral.Server.Security;
using Corral.Server.WebUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Hosting;

/// <summary>Composition root of <c>corral serve</c>: services, middleware and routes.</summary>
public static class CorralServer
{
    /// <param name="settings">The server's settings (for <c>corral serve</c>, from its environment).</param>
    /// <param name="args">Command-line arguments for the host builder.</param>
    /// <param name="host">
    /// Where the variables outside <paramref name="settings"/> come from and where the log goes; the process
    /// environment and the console unless a test hosts the server in its own process.
    /// </param>
    public static WebApplication Build(ServerSettings settings, string[]? args = null, ServerHostOptions? host = null)
    {
        host ??= ServerHostOptions.Default;
        var environment = host.Environment;
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        ServerLogging.Configure(builder.Logging, settings.Debug);
        host.Logging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls(settings.Host.ToUri().ToString());
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // blob uploads are streamed; JSON bodies are bounded by BodyLimit
            k.AddServerHeader = false;
        });

        var store = new ModelStore(settings.ModelsPath, settings.NoPrune);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<ModelResolver>();
        builder.Services.AddSingleton(environment);
        builder.Services.AddSingleton(Scheduling.Gpu.GpuSettings.FromVariables(environment.Get));
        builder.Services.AddSingleton<Scheduling.Gpu.GpuInventory>();
        builder.Services.AddSingleton<IRunnerLauncher, ProcessRunnerLauncher>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ModelScheduler>();
        builder.Services.AddSingleton<HostAndOriginPolicy>();
        builder.Services.AddSingleton<InferenceService>();
        builder.Services.AddSingleton<CompletionPreparer>();
        builder.Services.AddSingleton<MetricsCollector>();
        builder.Services.AddSingleton<ResponseStorage>();
        builder.Services.AddSingleton<BackgroundResponses>();
        host.Services?.Invoke(builder.Services);

        var app = builder.Build();

        // Read at start-up, where a missing or malformed file stops the server rather than leaving it
        // open; later changes are picked up while it runs (ApiKeyFile).
        var apiKeys = settings.ApiKeysFile is { } keysFile
            ? ApiKeyFile.Open(keysFile, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ApiKeyFile>())
            : null;

        // Device discovery starts now, so its lines are among the first and the first load rarely waits for it.
        app.Services.GetRequiredService<Scheduling.Gpu.GpuInventory>();

        // Opened now, so that a responses database that cannot be used stops the server with its reason
        // (ResponsesDatabaseException) before it listens.
        app.Services.GetRequiredService<ResponseStorage>();
        app.Services.GetRequiredService<BackgroundResponses>();

        // The collector must listen from the first request on, not from the first scrape.
        app.Services.GetRequiredService<MetricsCollector>();
        var otlp = OtlpExport.StartIfConfigured(environment.Get, app.Services.GetRequiredService<ModelScheduler>(), SystemRoutes.Version);
        if (otlp is not null)
        {
            app.Lifetime.ApplicationStopped.Register(otlp.Dispose);
        }

        app.UseMiddleware<RequestObservationMiddleware>();
        app.UseMiddleware<HttpHygieneMiddleware>();

        // Before routing, so that a failure while matching a route (two endpoints claiming one path) is answered in
        // Ollama's shape too, not with an empty 500; routing runs next, as the key check needs the matched route.
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseRouting();
        if (apiKeys is not null)
        {
            app.UseMiddleware<ApiKeyMiddleware>(apiKeys);
        }

        app.UseMiddleware<BodyLimitMiddleware>();

        // Blob uploads stream to disk; JSON bodies are held in memory and may be hundreds of megabytes.
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/api/blobs", StringComparison.Ordinal), json => json.UseMemoryRelief());

        app.MapSystemRoutes();
        app.MapInferenceRoutes();
        app.MapManagementRoutes();
        app.MapRegistryRoutes();
        app.MapOpenAIRoutes();
        app.MapAnthropicRoutes();
        app.MapMetrics();
        app.MapWebUi();
        return app;
    }
}
