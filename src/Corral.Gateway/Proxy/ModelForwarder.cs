using System.Net;
using Corral.Gateway.Configuration;
using Corral.Gateway.Fleet;
using Corral.Gateway.Observability;
using Corral.Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Corral.Gateway.Proxy;

/// <summary>
/// Forwards a request that names a model (chat, generate, embed, the /v1 and Anthropic routes, show, tokenize) to the
/// backend <see cref="BackendPicker"/> chooses, through YARP's forwarder, which streams the answer untouched. When that
/// backend answers 503 or fails before its first byte, the request goes once more to another backend; once a byte has
/// reached the client nothing is retried (it would be repeated).
/// </summary>
public sealed partial class ModelForwarder(
    IHttpForwarder forwarder,
    BackendFleet fleet,
    BackendPicker picker,
    GatewayMetrics metrics,
    GatewaySettings settings,
    ILogger<ModelForwarder> logger) : IDisposable
{
    private const int Attempts = 2;

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ActivityHeadersPropagator = null,
    });

    private readonly Lock _picking = new();

    private readonly ForwarderRequestConfig _config = new()
    {
        ActivityTimeout = settings.ActivityTimeout,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    /// <param name="http">The client's request, forwarded as it is.</param>
    /// <param name="modelFromPath">The model named by the route (GET /v1/models/{model}) rather than by a body.</param>
    public async Task ForwardAsync(HttpContext http, string? modelFromPath = null)
    {
        var body = await RequestBody.ReadAsync(http.Request, settings.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await GatewayErrors.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "request body too large").ConfigureAwait(false);
            return;
        }

        var summary = modelFromPath is null ? RequestSummary.Read(body) : new RequestSummary(ModelKey.Of(modelFromPath), modelFromPath, null);
        var named = http.Request.Headers[GatewayTransformer.BackendHeader].ToString();

        // Headers set before forwarding (CORS) must survive a failed attempt's reset.
        var ownHeaders = http.Response.Headers.ToList();
        var tried = new List<Backend>(Attempts);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            BackendChoice? choice;
            InFlightLease? lease = null;
            if (named.Length > 0)
            {
                choice = fleet.Find(named) is { } chosen ? new BackendChoice(chosen, RoutingDecision.Named) : null;
                if (choice is null)
                {
                    await GatewayErrors.WriteAsync(http, StatusCodes.Status404NotFound, $"no backend named '{named}'").ConfigureAwait(false);
                    return;
                }
            }
            else
            {
                // Choosing and counting the request in flight as one step: a burst of simultaneous requests sees each
                // other's choices, so it spreads instead of all reading the same loads.
                lock (_picking)
                {
                    choice = picker.Pick(summary, tried);
                    lease = choice?.Backend.Begin(summary.ModelKey);
                }
            }

            if (choice is null)
            {
                metrics.NoBackend();
                await GatewayErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "no backend is available").ConfigureAwait(false);
                return;
            }

            var backend = choice.Backend;
            tried.Add(backend);
            metrics.Decided(choice.Decision);
            var mayRetry = attempt + 1 < Attempts && named.Length == 0;
            var transformer = new GatewayTransformer(backend, mayRetry, settings.BackendKey);
            http.Request.Body = new MemoryStream(body, writable: false);
            ForwarderError error;
            using (lease ?? backend.Begin(summary.ModelKey))
            {
                error = await forwarder.SendAsync(http, backend.DestinationPrefix, _client, _config, transformer, http.RequestAborted).ConfigureAwait(false);
            }

            if (transformer.Rejected)
            {
                metrics.Retried(backend, "queue_full");
                LogRetry(backend.Name, "answered 503");
                ResetResponse(http, ownHeaders);
                continue;
            }

            if (error != ForwarderError.None && IsBeforeAnswer(error) && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                var reason = http.Features.Get<IForwarderErrorFeature>()?.Exception?.Message ?? error.ToString();
                backend.MarkDown(reason);
                if (mayRetry)
                {
                    metrics.Retried(backend, "unreachable");
                    LogRetry(backend.Name, reason);
                    ResetResponse(http, ownHeaders);
                    continue;
                }

                await GatewayErrors.WriteAsync(http, StatusCodes.Status502BadGateway, $"backend {backend.Name} failed: {reason}").ConfigureAwait(false);
            }

            metrics.Forwarded(backend, http.Response.StatusCode);
            return;
        }
    }

    /// <summary>Failures where the backend sent nothing the client has seen: connect, send, or no response headers.</summary>
    private static bool IsBeforeAnswer(ForwarderError error) =>
        error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders;

    private static void ResetResponse(HttpContext http, List<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> ownHeaders)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.Headers.Clear();
        foreach (var (name, value) in ownHeaders)
        {
            http.Response.Headers[name] = value;
        }

        http.Features.Set<IForwarderErrorFeature>(null);
    }

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "backend {Backend} {Reason}: trying another")]
    private partial void LogRetry(string backend, string reason);
}
