namespace Corral.Bench.Compare;

/// <summary>The HttpClient both servers are measured through.</summary>
internal static class BenchHttp
{
    /// <summary>
    /// Idle pooled connections are dropped after 2 s: llama-server's HTTP library closes a keep-alive connection
    /// after 5 s idle, and a request sent on one it is closing fails ("response ended prematurely") while the other
    /// server was being measured. Both servers get the same client.
    /// </summary>
    public static HttpClient Create(Uri baseAddress) =>
        new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(10),
        };
}
