using Corral.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Anthropic;

/// <summary>
/// Answers failures on /v1/messages in Anthropic's error shape instead of Ollama's; the status codes
/// come from the same mapping the native middleware uses.
/// </summary>
internal sealed class AnthropicErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            if (http.Response.HasStarted)
            {
                throw; // too late for a status; the stream writer reports its own errors
            }

            var (status, message) = ErrorHandlingMiddleware.Map(ex);
            await AnthropicErrors.WriteAsync(http, status, message).ConfigureAwait(false);
            if (status >= 500)
            {
                // The middleware logs server faults; the response has started, so it leaves our body alone.
                throw;
            }

            return Results.Empty;
        }
    }
}
