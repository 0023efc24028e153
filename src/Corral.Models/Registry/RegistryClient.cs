using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Corral.Models.Manifests;
using Corral.Models.Names;

namespace Corral.Models.Registry;

/// <summary>
/// Speaks the OCI distribution protocol as Ollama's registry (and Docker's, and hf.co) do:
/// manifests by tag, blobs by digest, uploads, and the bearer-token challenge. One instance
/// serves one pull or push (it caches the token it was given). The <see cref="HttpClient"/> must
/// not follow redirects or decompress (see <see cref="CreateHttpClient"/>): redirects are followed
/// here, for blob data only, and content is never inflated, so a gzip bomb stays a small blob that
/// fails its digest.
/// </summary>
public sealed class RegistryClient
{
    private const int MaxRedirects = 5;
    private const int MaxTokenResponseBytes = 64 << 10;
    private const int MaxErrorBodyBytes = 4 << 10;

    private readonly HttpClient _http;
    private string? _token;

    public RegistryClient(HttpClient http, RegistryOptions options)
    {
        _http = http;
        Options = options;
    }

    public RegistryOptions Options { get; }

    /// <summary>An HttpClient suited to registries: no automatic redirects or decompression, no overall timeout.</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseCookies = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>True for Hugging Face's registry hosts, which get <see cref="RegistryOptions.HuggingFaceToken"/>.</summary>
    public static bool IsHuggingFaceHost(string host) =>
        host.Equals("hf.co", StringComparison.OrdinalIgnoreCase) || host.Equals("huggingface.co", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>{scheme}://{host}/v2/{namespace}/{model}/</c>.</summary>
    public Uri GetRepositoryUri(ModelName name)
    {
        if (!name.IsValid)
        {
            throw new InvalidModelNameException(name, nameof(name));
        }

        var scheme = Options.Insecure ? "http" : "https";
        return new Uri($"{scheme}://{name.Host}/v2/{name.Namespace}/{name.Model}/");
    }

    /// <summary>Fetches and validates the manifest of <paramref name="name"/>'s tag; 404 → <see cref="RegistryException.NotFound"/>.</summary>
    public async Task<RegistryManifest> GetManifestAsync(ModelName name, CancellationToken cancellationToken)
    {
        var uri = new Uri(GetRepositoryUri(name), $"manifests/{Uri.EscapeDataString(name.Tag)}");
        using var response = await SendAsync(name, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.Manifest));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestValidator.OciManifest));
            return request;
        }, followRedirects: false, cancellationToken).ConfigureAwait(false);

        if (response.Content.Headers.ContentEncoding.Any(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase)))
        {
            throw new RegistryException("invalid manifest: compressed manifests are refused");
        }

        var bytes = await ReadCappedAsync(response.Content, Options.MaxManifestBytes, "manifest", cancellationToken).ConfigureAwait(false);
        return new RegistryManifest(bytes, ManifestValidator.Validate(bytes, Options));
    }

    /// <summary>
    /// GETs blob data, optionally the byte range [from, to] (inclusive), following redirects (e.g. to a CDN).
    /// Returns a 200 or 206 response with headers read; the caller owns and disposes it.
    /// </summary>
    public Task<HttpResponseMessage> GetBlobAsync(ModelName name, BlobDigest digest, long? from, long? to, CancellationToken cancellationToken)
    {
        var uri = new Uri(GetRepositoryUri(name), $"blobs/{digest}");
        return SendAsync(name, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (from is not null)
            {
                request.Headers.Range = new RangeHeaderValue(from, to);
            }

            return request;
        }, followRedirects: true, cancellationToken);
    }

    /// <summary>HEAD of a blob: true when the registry already has it.</summary>
    public async Task<bool> BlobExistsAsync(ModelName name, BlobDigest digest, CancellationToken cancellationToken)
    {
        var uri = new Uri(GetRepositoryUri(name), $"blobs/{digest}");
        try
        {
            using var response = await SendAsync(name, () => new HttpRequestMessage(HttpMethod.Head, uri), followRedirects: true, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (RegistryException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Uploads a blob file: POST to start an upload session, then one PUT with the content (or PATCH
    /// chunks of <see cref="RegistryOptions.UploadChunkSize"/> and a closing PUT) with <c>?digest=</c>.
    /// </summary>
    public async Task UploadBlobAsync(ModelName name, BlobDigest digest, string path, Action<long>? progress, CancellationToken cancellationToken)
    {
        var size = new FileInfo(path).Length;
        var start = new Uri(GetRepositoryUri(name), "blobs/uploads/");
        Uri location;
        using (var response = await SendAsync(name, () => new HttpRequestMessage(HttpMethod.Post, start) { Content = new ByteArrayContent([]) },
                   followRedirects: false, cancellationToken).ConfigureAwait(false))
        {
            location = ResolveLocation(response, start);
        }

        long sent = 0;
        if (size > Options.UploadChunkSize)
        {
            for (long offset = 0; offset < size; offset += Options.UploadChunkSize)
            {
                var length = Math.Min(Options.UploadChunkSize, size - offset);
                var chunkStart = offset;
                var target = location;
                using var response = await SendAsync(name, () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Patch, target)
                    {
                        Content = new FileRangeContent(path, chunkStart, length, n => progress?.Invoke(sent + n)),
                    };
                    request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{chunkStart}-{chunkStart + length - 1}");
                    return request;
                }, followRedirects: false, cancellationToken).ConfigureAwait(false);
                sent += length;
                location = ResolveLocation(response, location);
            }
        }

        var put = AppendQuery(location, $"digest={Uri.EscapeDataString(digest.ToString())}");
        var finalOffset = sent;
        using (await SendAsync(name, () => new HttpRequestMessage(HttpMethod.Put, put)
        {
            Content = finalOffset == size
                       ? new ByteArrayContent([])
                       : new FileRangeContent(path, 0, size, n => progress?.Invoke(n)),
        }, followRedirects: false, cancellationToken).ConfigureAwait(false))
        {
        }

        progress?.Invoke(size);
    }

    /// <summary>PUTs manifest bytes under the name's tag.</summary>
    public async Task PutManifestAsync(ModelName name, ReadOnlyMemory<byte> manifest, string mediaType, CancellationToken cancellationToken)
    {
        var uri = new Uri(GetRepositoryUri(name), $"manifests/{Uri.EscapeDataString(name.Tag)}");
        using var response = await SendAsync(name, () =>
        {
            var content = new ReadOnlyMemoryContent(manifest);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, uri) { Content = content };
        }, followRedirects: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request to the registry, answering one bearer challenge; follows redirects only when
    /// asked (blob data). Returns a success response; any error status becomes a <see cref="RegistryException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(ModelName name, Func<HttpRequestMessage> build, bool followRedirects, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var request = build();
            if (!Options.Insecure && request.RequestUri!.Scheme != Uri.UriSchemeHttps)
            {
                throw new RegistryException($"refusing plain-http request to '{request.RequestUri.Authority}' without insecure");
            }

            ApplyAuthorization(request, name);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                var challenge = RegistryChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
                response.Dispose();
                if (challenge is null)
                {
                    throw new RegistryException("unauthorized: access denied", HttpStatusCode.Unauthorized);
                }

                _token = await FetchTokenAsync(name, challenge, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (IsRedirect(response.StatusCode))
            {
                if (!followRedirects)
                {
                    response.Dispose();
                    throw new RegistryException($"unexpected redirect ({(int)response.StatusCode}) from registry", response.StatusCode);
                }

                response = await FollowRedirectsAsync(request, response, cancellationToken).ConfigureAwait(false);
            }

            return await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> FollowRedirectsAsync(HttpRequestMessage original, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var current = original.RequestUri!;
        for (var hop = 0; IsRedirect(response.StatusCode); hop++)
        {
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null || hop >= MaxRedirects)
            {
                throw new RegistryException("too many or broken redirects for blob");
            }

            current = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (current.Scheme != Uri.UriSchemeHttps && !(Options.Insecure && current.Scheme == Uri.UriSchemeHttp))
            {
                throw new RegistryException($"refusing redirect to '{current.Scheme}' URL");
            }

            // The registry's token is for the registry: a CDN gets the signed URL and nothing else.
            using var next = new HttpRequestMessage(original.Method, current);
            next.Headers.Range = original.Headers.Range;
            if (SameAuthority(current, original.RequestUri!))
            {
                next.Headers.Authorization = original.Headers.Authorization;
            }

            response = await _http.SendAsync(next, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private async Task<string> FetchTokenAsync(ModelName name, RegistryChallenge challenge, CancellationToken cancellationToken)
    {
        var tokenUri = challenge.BuildTokenUri();
        var registry = GetRepositoryUri(name);
        if (!SameAuthority(tokenUri, registry))
        {
            throw new RegistryException(
                $"unauthorized: token realm host '{tokenUri.Authority}' does not match registry host '{registry.Authority}'",
                HttpStatusCode.Unauthorized);
        }

        if (tokenUri.Scheme != Uri.UriSchemeHttps && !Options.Insecure)
        {
            throw new RegistryException("unauthorized: token realm is not https", HttpStatusCode.Unauthorized);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (IsHuggingFaceHost(name.Host) && Options.HuggingFaceToken is { } hf)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", hf);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            throw new RegistryException($"unauthorized: token request failed: {(int)response.StatusCode}: {body}", HttpStatusCode.Unauthorized);
        }

        var bytes = await ReadCappedAsync(response.Content, MaxTokenResponseBytes, "token response", cancellationToken).ConfigureAwait(false);
        RegistryTokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.RegistryTokenResponse);
        }
        catch (JsonException e)
        {
            throw new RegistryException($"unauthorized: invalid token response: {e.Message}", HttpStatusCode.Unauthorized, e);
        }

        return (token?.Token is { Length: > 0 } t ? t : token?.AccessToken) is { Length: > 0 } value
            ? value
            : throw new RegistryException("unauthorized: registry returned no token", HttpStatusCode.Unauthorized);
    }

    private void ApplyAuthorization(HttpRequestMessage request, ModelName name)
    {
        request.Headers.UserAgent.ParseAdd("corral/0.1 (ollama-compatible)");
        // Credentials are for the registry itself; an upload location elsewhere gets none.
        if (!SameAuthority(request.RequestUri!, GetRepositoryUri(name)))
        {
            return;
        }

        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }
        else if (IsHuggingFaceHost(name.Host) && Options.HuggingFaceToken is { } hf)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", hf);
        }
    }

    private static async Task<HttpResponseMessage> EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw RegistryException.NotFound();
            }

            var body = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            throw new RegistryException($"{(int)response.StatusCode}: {body}", response.StatusCode);
        }
    }

    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, total).Trim();
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return "";
        }
    }

    /// <summary>Reads a body that must stay small; never trusts Content-Length alone.</summary>
    internal static async Task<byte[]> ReadCappedAsync(HttpContent content, int limit, string what, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit)
        {
            throw new RegistryException($"{what} is too large ({content.Headers.ContentLength} bytes, limit {limit})");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new RegistryException($"{what} is too large (limit {limit} bytes)");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static Uri ResolveLocation(HttpResponseMessage response, Uri requestUri)
    {
        var location = response.Headers.Location ?? throw new RegistryException("registry did not return an upload location");
        var resolved = location.IsAbsoluteUri ? location : new Uri(requestUri, location);
        if (resolved.Scheme != Uri.UriSchemeHttps && resolved.Scheme != Uri.UriSchemeHttp)
        {
            throw new RegistryException($"refusing upload location '{resolved.Scheme}' URL");
        }

        return resolved;
    }

    private static Uri AppendQuery(Uri uri, string query)
    {
        var builder = new UriBuilder(uri);
        builder.Query = string.IsNullOrEmpty(builder.Query) ? query : $"{builder.Query.TrimStart('?')}&{query}";
        return builder.Uri;
    }

    private static bool SameAuthority(Uri a, Uri b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
