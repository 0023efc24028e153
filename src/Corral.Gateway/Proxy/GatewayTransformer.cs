using System.Net;
using System.Net.Http.Headers;
using Corral.Gateway.Fleet;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Corral.Gateway.Proxy;

/// <summary>
/// YARP's request/response copying for one attempt on one backend. The Host header becomes the backend's (servers on
/// loopback check it), the gateway's own request header and the Origin (CORS is answered at the gateway) are dropped, a configured backend key replaces the client's,
/// and the answer carries <c>X-Corral-Backend</c>. A 503 (the backend's queue is full) is swallowed when another
/// backend may still be tried: nothing reaches the client and <see cref="Rejected"/> says so.
/// </summary>
public sealed class GatewayTransformer(Backend backend, bool mayRetry, string? backendKey) : HttpTransformer
{
    public const string BackendHeader = "X-Corral-Backend";

    public bool Rejected { get; private set; }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Host = null;
        proxyRequest.Headers.Remove(BackendHeader);

        // CORS is the gateway's to answer (its middleware already did): a backend's own headers would come on top.
        proxyRequest.Headers.Remove("Origin");
        if (backendKey is not null)
        {
            proxyRequest.Headers.Remove("x-api-key");
            proxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", backendKey);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (mayRetry && proxyResponse?.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Rejected = true;
            return false;
        }

        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        httpContext.Response.Headers[BackendHeader] = backend.Name;
        return copy;
    }
}
