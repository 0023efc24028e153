using System.Net.Http.Headers;

namespace Corral.Gateway.Fleet;

/// <summary>
/// The HttpClient the gateway's own calls to backends go through (union views, fan-out of model management), with the
/// configured backend key, or else the client's own key, on each request.
/// </summary>
public sealed class BackendClient(Configuration.GatewaySettings settings) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public Task<HttpResponseMessage> SendAsync(Backend backend, HttpMethod method, string pathAndQuery, HttpContent? content, string? clientAuthorization, CancellationToken cancellation)
    {
        var request = new HttpRequestMessage(method, new Uri(backend.BaseAddress, pathAndQuery.TrimStart('/'))) { Content = content };
        if (settings.BackendKey is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else if (!string.IsNullOrEmpty(clientAuthorization))
        {
            request.Headers.TryAddWithoutValidation("Authorization", clientAuthorization);
        }

        return SendAndDisposeAsync(request, cancellation);
    }

    private async Task<HttpResponseMessage> SendAndDisposeAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        using (request)
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();
}
