using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Corral.Runner.Hosting;

/// <summary>Counts each request body and hands the count to <see cref="MemoryRelief"/> when the request ends.</summary>
public static class MemoryReliefMiddleware
{
    public static IApplicationBuilder UseMemoryRelief(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var counting = new CountingReadStream(http.Request.Body);
        http.Request.Body = counting;
        try
        {
            await next(http).ConfigureAwait(false);
        }
        finally
        {
            MemoryRelief.AfterRequest(Math.Max(counting.BytesRead, http.Request.ContentLength ?? 0));
        }
    });
}
