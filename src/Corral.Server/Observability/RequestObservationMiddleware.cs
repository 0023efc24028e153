using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Observability;

/// <summary>
/// Outermost middleware: times every request, counts it by route pattern (never the raw path, so
/// the label set stays bounded), and writes one structured log line with the model and token counts
/// when the request produced a completion. Never logs bodies, prompts or headers.
/// </summary>
public sealed partial class RequestObservationMiddleware(RequestDelegate next, ILoggerFactory loggers)
{
    /// <summary>The route label of requests that matched no endpoint (404, 405).</summary>
    public const string Unmatched = "unmatched";

    // nginx's "client closed request": the status of a request whose client went away.
    private const int ClientClosedRequest = 499;

    private readonly ILogger _log = loggers.CreateLogger("Corral.Server.Requests");

    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var observation = new RequestObservation();
        RequestObservation.Current = observation;
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(http).ConfigureAwait(false);
            status = http.Response.StatusCode;
        }
        finally
        {
            if (http.RequestAborted.IsCancellationRequested)
            {
                status = ClientClosedRequest;
            }

            Record(http, status, Stopwatch.GetElapsedTime(started), observation);
            RequestObservation.Current = null;
        }
    }

    private void Record(HttpContext http, int status, TimeSpan elapsed, RequestObservation observation)
    {
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var route = pattern ?? Unmatched;
        var method = http.Request.Method;
        var statusText = StatusText(status);
        ServerMetrics.HttpRequests.Add(1,
            new KeyValuePair<string, object?>("route", route),
            new KeyValuePair<string, object?>("method", method),
            new KeyValuePair<string, object?>("status", statusText));
        ServerMetrics.HttpDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("route", route),
            new KeyValuePair<string, object?>("method", method));
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            ServerMetrics.Rejected.Add(1, new KeyValuePair<string, object?>("route", route));
        }

        if (!_log.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // The log may name the path of an unmatched request (useful for 404s); metrics never do.
        var logRoute = pattern ?? http.Request.Path.Value ?? string.Empty;
        if (observation.HasTokens)
        {
            LogCompletion(method, logRoute, status, elapsed.TotalMilliseconds, observation.Model, observation.PromptTokens, observation.EvalTokens);
        }
        else
        {
            LogRequest(method, logRoute, status, elapsed.TotalMilliseconds);
        }
    }

    private static string StatusText(int status) => status switch
    {
        200 => "200",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        500 => "500",
        503 => "503",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} {Status} {DurationMs:F1}ms")]
    private partial void LogRequest(string method, string route, int status, double durationMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Route} {Status} {DurationMs:F1}ms model={Model} prompt_tokens={PromptTokens} eval_tokens={EvalTokens}")]
    private partial void LogCompletion(string method, string route, int status, double durationMs, string? model, int promptTokens, int evalTokens);
}
