using Corral.Api.Ollama;
using Corral.Models.Names;
using Corral.Models.Registry;
using Corral.Models.Store;
using Corral.Runner.Client;
using Corral.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Corral.Server.Ollama.Registry;

/// <summary><c>POST /api/pull</c> and <c>POST /api/push</c>, streaming Ollama's progress lines.</summary>
public static class RegistryRoutes
{
    // One connection pool for every pull and push; registries are few and long-lived.
    private static readonly Lazy<HttpClient> Http = new(RegistryClient.CreateHttpClient);

    public static IEndpointRouteBuilder MapRegistryRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/pull", static async (HttpContext http) =>
        {
            var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Default.PullRequest).ConfigureAwait(false);
            var store = http.RequestServices.GetRequiredService<ModelStore>();
            var (name, options) = Resolve(request.ResolveModel(), request.Insecure, missing: "invalid model name", http.RequestServices.GetRequiredService<EnvironmentSource>());

            // Like Ollama, pulling a model that exists under another spelling updates that one.
            if (store.TryGetManifest(name, out var existing))
            {
                name = existing.Name;
            }

            var puller = new ModelPuller(new RegistryClient(Http.Value, options), store);
            await ProgressStream.RunAsync(http, request.IsStreaming, report => puller.PullAsync(name, report, http.RequestAborted))
                .ConfigureAwait(false);
        });

        routes.MapPost("/api/push", static async (HttpContext http) =>
        {
            var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Default.PushRequest).ConfigureAwait(false);
            var store = http.RequestServices.GetRequiredService<ModelStore>();
            var (name, options) = Resolve(request.ResolveModel(), request.Insecure, missing: "model is required", http.RequestServices.GetRequiredService<EnvironmentSource>());
            var pusher = new ModelPusher(new RegistryClient(Http.Value, options), store);
            await ProgressStream.RunAsync(http, request.IsStreaming, report => pusher.PushAsync(name, report, http.RequestAborted))
                .ConfigureAwait(false);
        });

        return routes;
    }

    /// <param name="text">The model name as the request gave it.</param>
    /// <param name="insecure">The request's insecure flag (plain HTTP, unchecked TLS).</param>
    /// <param name="missing">The 400's words for no name: Ollama's pull calls it an invalid name, its push says it is required.</param>
    /// <param name="environment">The server's variables (HF_TOKEN).</param>
    private static (ModelName Name, RegistryOptions Options) Resolve(string text, bool insecure, string missing, EnvironmentSource environment)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw ApiException.BadRequest(missing);
        }

        // Ollama takes an explicit http:// scheme as a request for plain http, allowed only with insecure.
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !insecure)
        {
            throw ApiException.BadRequest("insecure protocol http");
        }

        var name = ModelName.Parse(text);
        if (!name.IsValid)
        {
            throw ApiException.BadRequest("invalid model name");
        }

        return (name, RegistryOptions.FromVariables(insecure, environment.Get));
    }
}
