using Corral.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Corral.Server.Http;

/// <summary>Bounds JSON request bodies (CORRAL_MAX_BODY_BYTES); blob uploads stream to disk and are exempt.</summary>
public sealed class BodyLimitMiddleware(RequestDelegate next, ServerSettings settings)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments("/api/blobs", StringComparison.Ordinal)
            && http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxRequestBodyBytes;
        }

        return next(http);
    }
}
