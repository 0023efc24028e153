using System.Text.Json;
using Corral.Api;
using Corral.Api.Json;
using Corral.Gateway.Fleet;
using Corral.Gateway.Proxy;
using Corral.Server.Ollama.System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Gateway.Views;

/// <summary>
/// One view of the fleet: <c>/api/tags</c> and <c>/v1/models</c> as the union of every backend's models (first backend
/// wins for a name they share), <c>/api/ps</c> as every loaded model with a <c>backend</c> field, and the banner and
/// <c>/api/version</c> answered by the gateway itself. Read live from the backends that are up, so a model pulled or
/// deleted through the gateway shows at once.
/// </summary>
public static class UnionRoutes
{
    private static readonly TimeSpan ViewTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapUnionRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], static (HttpContext http) =>
        {
            http.Response.Headers[CorralVersion.HeaderName] = CorralVersion.Build;
            return Results.Text(SystemRoutes.RunningBanner);
        });
        routes.MapMethods("/api/version", [HttpMethods.Get, HttpMethods.Head], static (HttpContext http) =>
        {
            http.Response.Headers[CorralVersion.HeaderName] = CorralVersion.Build;
            return Results.Json(new Corral.Api.Ollama.VersionResponse { Version = SystemRoutes.Version }, Corral.Api.Ollama.OllamaJsonContext.Wire.VersionResponse);
        });
        routes.MapMethods("/api/tags", [HttpMethods.Get, HttpMethods.Head], static (HttpContext http, BackendFleet fleet, BackendClient client) =>
            WriteUnionAsync(http, fleet, client, "api/tags", "models", static e => BackendProbe.NameOf(e), withBackend: false));
        routes.MapGet("/api/ps", static (HttpContext http, BackendFleet fleet, BackendClient client) =>
            WriteUnionAsync(http, fleet, client, "api/ps", "models", static e => null, withBackend: true));
        routes.MapGet("/v1/models", static (HttpContext http, BackendFleet fleet, BackendClient client) =>
            WriteUnionAsync(http, fleet, client, "v1/models", "data", static e => e.TryGetProperty("id", out var id) ? id.GetString() : null, withBackend: false));
        return routes;
    }

    /// <param name="http">The client's request, answered with the union.</param>
    /// <param name="fleet">The backends, of which the ones up are asked.</param>
    /// <param name="client">How the backends are asked.</param>
    /// <param name="path">The route asked on every backend.</param>
    /// <param name="listProperty">The property of each answer that holds the list to merge.</param>
    /// <param name="nameOf">The name entries are merged by; null keeps every entry (each backend's loaded copy is its own).</param>
    /// <param name="withBackend">Whether each entry says which backend it came from.</param>
    private static async Task WriteUnionAsync(HttpContext http, BackendFleet fleet, BackendClient client, string path, string listProperty, Func<JsonElement, string?> nameOf, bool withBackend)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(ViewTimeout);
        var authorization = http.Request.Headers.Authorization.ToString();
        var answers = await Task.WhenAll(fleet.All.Where(b => b.View.Up).Select(async backend =>
        {
            try
            {
                using var response = await client.SendAsync(backend, HttpMethod.Get, path, null, authorization, timeout.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    return (backend, (JsonDocument?)null);
                }

                return (backend, await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), default, timeout.Token).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
            {
                return (backend, null);
            }
        })).ConfigureAwait(false);

        try
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = GoJsonEncoder.Instance }))
            {
                json.WriteStartObject();
                if (listProperty == "data")
                {
                    json.WriteString("object", "list");
                }

                json.WritePropertyName(listProperty);
                json.WriteStartArray();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (backend, document) in answers)
                {
                    if (document is null || !document.RootElement.TryGetProperty(listProperty, out var list) || list.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var entry in list.EnumerateArray())
                    {
                        if (nameOf(entry) is { } name && !seen.Add(ModelKey.Of(name)))
                        {
                            continue;
                        }

                        if (!withBackend || entry.ValueKind != JsonValueKind.Object)
                        {
                            entry.WriteTo(json);
                            continue;
                        }

                        json.WriteStartObject();
                        foreach (var property in entry.EnumerateObject())
                        {
                            property.WriteTo(json);
                        }

                        json.WriteString("backend", backend.Name);
                        json.WriteEndObject();
                    }
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            if (!HttpMethods.IsHead(http.Request.Method))
            {
                await http.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), http.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var (_, document) in answers)
            {
                document?.Dispose();
            }
        }
    }
}
