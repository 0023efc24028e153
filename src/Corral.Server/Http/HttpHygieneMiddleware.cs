using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Corral.Server.Http;

/// <summary>
/// First in the pipeline: refuses foreign Host headers on a loopback bind (403), answers CORS
/// preflights and adds CORS headers for allowed origins, as Ollama's middleware does.
/// </summary>
public sealed class HttpHygieneMiddleware(RequestDelegate next, HostAndOriginPolicy policy)
{
    private const string AllowedHeaders = "Authorization, Content-Type, User-Agent, Accept, X-Requested-With, X-Stainless-Lang, X-Stainless-Package-Version, X-Stainless-Os, X-Stainless-Arch, X-Stainless-Retry-Count, X-Stainless-Runtime, X-Stainless-Runtime-Version, X-Stainless-Async, X-Stainless-Helper-Method, X-Stainless-Poll-Helper, X-Stainless-Custom-Poll-Interval, X-Stainless-Timeout, X-Api-Key, Anthropic-Version, Anthropic-Beta";

    public async Task InvokeAsync(HttpContext http)
    {
        if (!policy.IsHostAllowed(http.Request.Host.Value))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var origin = http.Request.Headers.Origin;
        if (!StringValues.IsNullOrEmpty(origin))
        {
            if (!policy.IsOriginAllowed(origin.ToString()))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            var headers = http.Response.Headers;
            headers.AccessControlAllowOrigin = origin;
            headers.Vary = "Origin";
            headers.AccessControlAllowMethods = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";
            headers.AccessControlAllowHeaders = AllowedHeaders;
            headers.AccessControlMaxAge = "43200";
            if (HttpMethods.IsOptions(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }
        else if (HttpMethods.IsOptions(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await next(http).ConfigureAwait(false);
    }
}
