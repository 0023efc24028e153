namespace Corral.Bench.Compare;

/// <summary>The HttpClient both servers are measured through.</summary>
internal static class BenchHttp
{
    /// <summary>
    /// Every request goes on a connection of its own (the clients send <c>Connection: close</c>): reusing keep-alive
    /// connections to llama-server failed now and then with "response ended prematurely" when a level started after
    /// the other server's turn (its HTTP library drops idle connections after 5 s). A loopback connect costs well under
    /// a millisecond, the same on both sides; idle ones are also dropped after 2 s.
    /// </summary>
    public static HttpClient Create(Uri baseAddress) =>
        new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(10),
        };
}
