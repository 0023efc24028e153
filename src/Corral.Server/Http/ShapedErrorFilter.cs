using Microsoft.AspNetCore.Http;

namespace Corral.Server.Http;

/// <summary>
/// Answers failures on a route group in that API's own error shape (OpenAI's, Anthropic's) instead of
/// Ollama's; the status codes come from the same mapping the native middleware uses.
/// </summary>
internal sealed class ShapedErrorFilter(Func<HttpContext, int, string, Task> writeError) : IEndpointFilter
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
                throw; // too late for a status; the stream writers report their own errors
            }

            var (status, message) = ErrorHandlingMiddleware.Map(ex);
            await writeError(http, status, message).ConfigureAwait(false);
            if (status >= 500)
            {
                // The middleware logs server faults; the response has started, so it leaves our body alone.
                throw;
            }

            return Results.Empty;
        }
    }
}
