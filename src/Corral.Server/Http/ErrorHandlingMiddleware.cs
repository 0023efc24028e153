using Corral.Api.Ollama;
using Corral.Models.Creation;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Runner.Client;
using Corral.Server.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Http;

/// <summary>
/// The one place that maps exceptions to Ollama-shaped error responses. Only Corral's own exceptions carry a message
/// written for the client; anything else (a bug, a library's failure) is logged in full and answered with a plain
/// 500 that leaks no internals (paths, type names, stack details).
/// </summary>
public sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception ex)
        {
            var (status, message) = Map(ex);
            if (status >= 500)
            {
                LogFailed(logger, http.Request.Method, http.Request.Path, ex);
            }

            await ApiError.WriteAsync(http, status, message).ConfigureAwait(false);
        }
    }

    /// <summary>What a client sees of a failure that is not one of Corral's own.</summary>
    public const string InternalErrorMessage = "internal server error (the server log has the details)";

    public static (int Status, string Message) Map(Exception ex) => ex switch
    {
        ApiException api => (api.StatusCode, api.Message),
        ModelNotFoundException nf => (StatusCodes.Status404NotFound, nf.Message),
        ServerBusyException busy => (StatusCodes.Status503ServiceUnavailable, busy.Message),
        RunnerException { IsBadRequest: true } refused => (StatusCodes.Status400BadRequest, refused.Message),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        InvalidOptionException or InvalidModelNameException => (StatusCodes.Status400BadRequest, ex.Message),
        CreateInputException => (StatusCodes.Status400BadRequest, ex.Message),
        CreateSourceNotFoundException => (StatusCodes.Status404NotFound, ex.Message),
        CreateFailedException => (StatusCodes.Status500InternalServerError, ex.Message),
        _ when IsCorrals(ex) => (StatusCodes.Status500InternalServerError, ex.Message),
        _ => (StatusCodes.Status500InternalServerError, InternalErrorMessage),
    };

    /// <summary>
    /// <see cref="Map"/> for a failure after a streamed response has started, which the handler writes into its own
    /// stream (the middleware never sees it): a server fault is logged in full here, as the middleware would.
    /// </summary>
    public static (int Status, string Message) MapStreamFailure(HttpContext http, Exception ex)
    {
        var mapped = Map(ex);
        if (mapped.Status >= 500 && http.RequestServices?.GetService<ILogger<ErrorHandlingMiddleware>>() is { } log)
        {
            LogFailed(log, http.Request.Method, http.Request.Path, ex);
        }

        return mapped;
    }

    /// <summary>
    /// An exception Corral throws on purpose (a runner that failed, a model that does not fit, a template that does
    /// not render): its message is meant for the user. A bare BCL exception (ArgumentException, IOException,
    /// NullReferenceException ...) is not, whatever its text says.
    /// </summary>
    private static bool IsCorrals(Exception ex) =>
        ex.GetType().Namespace is { } ns && ns.StartsWith("Corral.", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, string method, string path, Exception ex);
}
