using Corral.Models.Store;
using Corral.Runner.Client;
using Corral.Server.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Http;

/// <summary>The one place that maps exceptions to Ollama-shaped error responses.</summary>
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
                LogFailed(http.Request.Method, http.Request.Path, ex);
            }

            await ApiError.WriteAsync(http, status, message).ConfigureAwait(false);
        }
    }

    public static (int Status, string Message) Map(Exception ex) => ex switch
    {
        ApiException api => (api.StatusCode, api.Message),
        ModelNotFoundException nf => (StatusCodes.Status404NotFound, nf.Message),
        ServerBusyException busy => (StatusCodes.Status503ServiceUnavailable, busy.Message),
        ModelMemoryException memory => (StatusCodes.Status500InternalServerError, memory.Message),
        RunnerException { IsBadRequest: true } refused => (StatusCodes.Status400BadRequest, refused.Message),
        RunnerException runner => (StatusCodes.Status500InternalServerError, runner.Message),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        ArgumentException arg => (StatusCodes.Status400BadRequest, arg.Message),
        _ => (StatusCodes.Status500InternalServerError, ex.Message),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private partial void LogFailed(string method, string path, Exception ex);
}
