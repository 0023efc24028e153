using System.Collections.Concurrent;
using System.Text;
using Corral.Models.Names;
using Microsoft.AspNetCore.Http;

namespace Corral.Testing.Registry;

/// <summary>
/// An in-memory registry serving manifests and blobs the way a distribution registry does (Range
/// support, 404s, bearer challenges, CDN redirects), with knobs for the failures real networks and
/// hostile registries produce. Pull side only.
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private TestHttpServer _server = null!;
    private int _drops;

    private FakeRegistry()
    {
    }

    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>host:port for model names.</summary>
    public string Host => _server.Host;

    /// <summary>Manifest bytes by "namespace/model:tag".</summary>
    public ConcurrentDictionary<string, byte[]> Manifests { get; } = new(StringComparer.Ordinal);

    /// <summary>Blob bytes by digest string ("sha256:..."), served for that digest even when they do not hash to it.</summary>
    public ConcurrentDictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request as "METHOD path?query [Range] [Authorization]".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public long BlobBytesServed => Interlocked.Read(ref _blobBytesServed);

    private long _blobBytesServed;

    /// <summary>Drop the connection after this many bytes of a blob body, <see cref="DropCount"/> times.</summary>
    public long? DropBlobAfterBytes { get; set; }

    public int DropCount
    {
        get => Volatile.Read(ref _drops);
        set => Volatile.Write(ref _drops, value);
    }

    /// <summary>Delay between 16 KiB blob chunks (to make a transfer slow enough to interrupt).</summary>
    public TimeSpan BlobChunkDelay { get; set; }

    /// <summary>Answer Range requests with the whole blob and 200, as some servers do.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>When set, requests need <c>Authorization: Bearer</c> this token; others get a challenge to <see cref="Realm"/>.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>The challenge's realm; defaults to this server's <c>/token</c>.</summary>
    public string? Realm { get; set; }

    /// <summary>Token endpoint requests must carry this bearer (a Hugging Face token, say).</summary>
    public string? TokenEndpointRequires { get; set; }

    /// <summary>When set, blob GETs answer 307 to this base + <c>cdn/&lt;digest&gt;</c>.</summary>
    public Uri? CdnBase { get; set; }

    /// <summary>Answers a tag that is not in <see cref="Manifests"/> (e.g. Hugging Face's quant resolution); null → 404.</summary>
    public Func<string, string, string?>? ResolveTag { get; set; }

    /// <summary>Extra headers for manifest responses (e.g. Content-Encoding).</summary>
    public Dictionary<string, string> ManifestHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static async Task<FakeRegistry> StartAsync()
    {
        var registry = new FakeRegistry();
        registry._server = await TestHttpServer.StartAsync(registry.HandleAsync);
        return registry;
    }

    /// <summary>Adds a blob and returns its digest.</summary>
    public BlobDigest AddBlob(byte[] content)
    {
        var digest = BlobDigest.Compute(content);
        Blobs[digest.ToString()] = content;
        return digest;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "";
        Requests.Enqueue($"{request.Method} {path}{request.QueryString} {request.Headers.Range} {request.Headers.Authorization}".TrimEnd());

        if (path == "/token")
        {
            if (TokenEndpointRequires is { } needed && request.Headers.Authorization != $"Bearer {needed}")
            {
                http.Response.StatusCode = 401;
                return;
            }

            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync($"{{\"token\":\"{RequiredToken}\"}}");
            return;
        }

        if (path.StartsWith("/cdn/", StringComparison.Ordinal))
        {
            await ServeBlobAsync(http, path["/cdn/".Length..]);
            return;
        }

        if (RequiredToken is { } token && request.Headers.Authorization != $"Bearer {token}")
        {
            var realm = Realm ?? new Uri(BaseAddress, "token").ToString();
            http.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{realm}\",service=\"fake-registry\",scope=\"repository:x:pull\"";
            http.Response.StatusCode = 401;
            return;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 5 && parts[0] == "v2" && parts[3] == "manifests" && HttpMethods.IsGet(request.Method))
        {
            var repo = $"{parts[1]}/{parts[2]}";
            var tag = Uri.UnescapeDataString(parts[4]);
            if (!Manifests.TryGetValue($"{repo}:{tag}", out var manifest)
                && !(ResolveTag?.Invoke(repo, tag) is { } resolved && Manifests.TryGetValue($"{repo}:{resolved}", out manifest)))
            {
                http.Response.StatusCode = 404;
                await http.Response.WriteAsync("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
                return;
            }

            foreach (var (key, value) in ManifestHeaders)
            {
                http.Response.Headers[key] = value;
            }

            http.Response.ContentType = "application/vnd.docker.distribution.manifest.v2+json";
            await http.Response.Body.WriteAsync(manifest);
            return;
        }

        if (parts.Length == 5 && parts[0] == "v2" && parts[3] == "blobs")
        {
            var digest = Uri.UnescapeDataString(parts[4]);
            if (CdnBase is not null && Blobs.ContainsKey(digest))
            {
                http.Response.StatusCode = 307;
                http.Response.Headers.Location = new Uri(CdnBase, $"cdn/{digest}").ToString();
                return;
            }

            await ServeBlobAsync(http, digest);
            return;
        }

        http.Response.StatusCode = 404;
    }

    private async Task ServeBlobAsync(HttpContext http, string digest)
    {
        if (!Blobs.TryGetValue(digest, out var blob))
        {
            http.Response.StatusCode = 404;
            return;
        }

        long from = 0;
        var to = blob.Length - 1L;
        var range = http.Request.Headers.Range.ToString();
        if (!IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            var spec = range["bytes=".Length..].Split('-');
            from = long.Parse(spec[0]);
            if (spec.Length > 1 && spec[1].Length > 0)
            {
                to = Math.Min(to, long.Parse(spec[1]));
            }

            http.Response.StatusCode = 206;
            http.Response.Headers.ContentRange = $"bytes {from}-{to}/{blob.Length}";
        }

        http.Response.ContentLength = to - from + 1;
        http.Response.ContentType = "application/octet-stream";
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return;
        }

        long sent = 0;
        const int chunk = 16 << 10;
        for (var offset = from; offset <= to; offset += chunk)
        {
            var length = (int)Math.Min(chunk, to - offset + 1);
            if (DropBlobAfterBytes is { } drop && sent + length > drop && Interlocked.Decrement(ref _drops) >= 0)
            {
                await http.Response.Body.WriteAsync(blob.AsMemory((int)offset, (int)(drop - sent)));
                await http.Response.Body.FlushAsync();
                Interlocked.Add(ref _blobBytesServed, drop - sent);
                http.Abort();
                return;
            }

            await http.Response.Body.WriteAsync(blob.AsMemory((int)offset, length), http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            sent += length;
            Interlocked.Add(ref _blobBytesServed, length);
            if (BlobChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(BlobChunkDelay, http.RequestAborted);
            }
        }
    }

    /// <summary>All requests so far, one per line (for assertion messages).</summary>
    public string DescribeRequests()
    {
        var text = new StringBuilder();
        foreach (var line in Requests)
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
