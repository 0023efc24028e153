using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Corral.Testing.Registry;

/// <summary>
/// A reverse proxy in front of a real registry that breaks blob transfers on purpose: drops the
/// connection after some bytes (a flaky network, a restarting server) or stalls until the client
/// gives up.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Content-Length", "Content-Type",
    };

    private readonly Uri _upstream;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private TestHttpServer _server = null!;
    private int _drops;

    private FaultProxy(Uri upstream) => _upstream = upstream;

    public string Host => _server.Host;

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Blob GETs send this many bytes and then lose the connection, <see cref="DropCount"/> times.</summary>
    public long? DropBlobAfterBytes { get; set; }

    public int DropCount
    {
        get => Volatile.Read(ref _drops);
        set => Volatile.Write(ref _drops, value);
    }

    /// <summary>Blob GETs send this many bytes and then hang until the client goes away.</summary>
    public long? StallBlobAfterBytes { get; set; }

    public static async Task<FaultProxy> StartAsync(Uri upstream)
    {
        var proxy = new FaultProxy(upstream);
        proxy._server = await TestHttpServer.StartAsync(proxy.ForwardAsync);
        return proxy;
    }

    private async Task ForwardAsync(HttpContext http)
    {
        var request = http.Request;
        Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString} {request.Headers.Range}".TrimEnd());
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_upstream, $"{request.Path}{request.QueryString}"));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            outgoing.Content = new StreamContent(request.Body);
            if (request.ContentType is { } type)
            {
                outgoing.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        // Registries build upload locations from Host; keep them pointing at the proxy.
        outgoing.Headers.Host = request.Host.Value;
        foreach (var (key, value) in request.Headers)
        {
            if (!HopHeaders.Contains(key) && !outgoing.Headers.TryAddWithoutValidation(key, (IEnumerable<string>)value))
            {
                outgoing.Content?.Headers.TryAddWithoutValidation(key, (IEnumerable<string>)value);
            }
        }

        using var response = await _http.SendAsync(outgoing, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (key, value) in response.Headers.Concat(response.Content.Headers))
        {
            if (!key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers[key] = value.ToArray();
            }
        }

        var isBlob = HttpMethods.IsGet(request.Method) && request.Path.Value!.Contains("/blobs/sha256:", StringComparison.Ordinal);
        await using var body = await response.Content.ReadAsStreamAsync(http.RequestAborted);
        var buffer = new byte[16 << 10];
        long sent = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            if (isBlob && DropBlobAfterBytes is { } drop && sent + read > drop && Interlocked.Decrement(ref _drops) >= 0)
            {
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, (int)(drop - sent)));
                await http.Response.Body.FlushAsync();
                http.Abort();
                return;
            }

            if (isBlob && StallBlobAfterBytes is { } stall && sent + read > stall)
            {
                await http.Response.Body.FlushAsync();
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }

            await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
            sent += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }
}
