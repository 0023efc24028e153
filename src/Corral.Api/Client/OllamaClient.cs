using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Corral.Api.Ollama;
using Corral.Api.Rerank;

namespace Corral.Api.Client;

/// <summary>
/// Typed client for Ollama's native API (works against Ollama and Corral). Streaming endpoints return
/// <see cref="IAsyncEnumerable{T}"/> over the NDJSON lines; errors (HTTP status or an <c>{"error"}</c> line
/// mid-stream) surface as <see cref="OllamaApiException"/>. Sends <c>Authorization: Bearer</c> from
/// <c>OLLAMA_API_KEY</c> or <c>CORRAL_API_KEY</c> when set. Thread-safe; reuse one instance.
/// </summary>
public sealed class OllamaClient : IDisposable
{
    private static readonly OllamaJsonContext Json = OllamaJsonContext.Default;
    private static readonly string UserAgent =
        $"corral/{typeof(OllamaClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0"}";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string? _apiKey;

    /// <summary>Connects to <c>OLLAMA_HOST</c> (default http://127.0.0.1:11434).</summary>
    public OllamaClient()
        : this(OllamaEndpoint.FromEnvironment())
    {
    }

    public OllamaClient(Uri baseAddress)
        : this(new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan }, ownsHttpClient: true)
    {
    }

    /// <summary>Uses <paramref name="httpClient"/>; its BaseAddress is set from <c>OLLAMA_HOST</c> when missing.</summary>
    public OllamaClient(HttpClient httpClient, bool ownsHttpClient = false)
    {
        _http = httpClient;
        _ownsHttp = ownsHttpClient;
        _http.BaseAddress ??= OllamaEndpoint.FromEnvironment();
        _apiKey = FirstNonEmpty(Environment.GetEnvironmentVariable("OLLAMA_API_KEY"), Environment.GetEnvironmentVariable("CORRAL_API_KEY"));
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<VersionResponse> VersionAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/version", null, Json.VersionResponse, cancellationToken);

    /// <summary>Local models (<c>GET /api/tags</c>).</summary>
    public Task<ListResponse> ListAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/tags", null, Json.ListResponse, cancellationToken);

    /// <summary>Loaded models (<c>GET /api/ps</c>).</summary>
    public Task<ProcessResponse> PsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/ps", null, Json.ProcessResponse, cancellationToken);

    public Task<ShowResponse> ShowAsync(ShowRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/show", Content(request, Json.ShowRequest), Json.ShowResponse, cancellationToken);

    /// <summary>Streams generation; sets <see cref="GenerateRequest.Stream"/> to true.</summary>
    public IAsyncEnumerable<GenerateResponse> GenerateStreamAsync(GenerateRequest request, CancellationToken cancellationToken = default)
    {
        request.Stream = true;
        return StreamAsync(HttpMethod.Post, "api/generate", Content(request, Json.GenerateRequest), Json.GenerateResponse, cancellationToken);
    }

    /// <summary>One complete answer; sets <see cref="GenerateRequest.Stream"/> to false.</summary>
    public Task<GenerateResponse> GenerateAsync(GenerateRequest request, CancellationToken cancellationToken = default)
    {
        request.Stream = false;
        return SendAsync(HttpMethod.Post, "api/generate", Content(request, Json.GenerateRequest), Json.GenerateResponse, cancellationToken);
    }

    /// <summary>Streams a chat answer; sets <see cref="ChatRequest.Stream"/> to true.</summary>
    public IAsyncEnumerable<ChatResponse> ChatStreamAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        request.Stream = true;
        return StreamAsync(HttpMethod.Post, "api/chat", Content(request, Json.ChatRequest), Json.ChatResponse, cancellationToken);
    }

    /// <summary>One complete chat answer; sets <see cref="ChatRequest.Stream"/> to false.</summary>
    public Task<ChatResponse> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        request.Stream = false;
        return SendAsync(HttpMethod.Post, "api/chat", Content(request, Json.ChatRequest), Json.ChatResponse, cancellationToken);
    }

    public Task<EmbedResponse> EmbedAsync(EmbedRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/embed", Content(request, Json.EmbedRequest), Json.EmbedResponse, cancellationToken);

    /// <summary>Legacy single-prompt embedding (<c>/api/embeddings</c>).</summary>
    public Task<EmbeddingResponse> EmbeddingsAsync(EmbeddingRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/embeddings", Content(request, Json.EmbeddingRequest), Json.EmbeddingResponse, cancellationToken);

    /// <summary>Scores documents against a query with a reranker model (<c>/api/rerank</c>, a Corral extension); results best first.</summary>
    public Task<RerankResponse> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/rerank", Content(request, RerankJsonContext.Default.RerankRequest), RerankJsonContext.Default.RerankResponse, cancellationToken);

    /// <summary>Creates a model, streaming progress (a non-streaming request yields its single final line).</summary>
    public IAsyncEnumerable<ProgressResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken = default) =>
        StreamAsync(HttpMethod.Post, "api/create", Content(request, Json.CreateRequest), Json.ProgressResponse, cancellationToken);

    public IAsyncEnumerable<ProgressResponse> PullAsync(PullRequest request, CancellationToken cancellationToken = default) =>
        StreamAsync(HttpMethod.Post, "api/pull", Content(request, Json.PullRequest), Json.ProgressResponse, cancellationToken);

    public IAsyncEnumerable<ProgressResponse> PushAsync(PushRequest request, CancellationToken cancellationToken = default) =>
        StreamAsync(HttpMethod.Post, "api/push", Content(request, Json.PushRequest), Json.ProgressResponse, cancellationToken);

    public async Task CopyAsync(CopyRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Post, "api/copy", Content(request, Json.CopyRequest), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Delete, "api/delete", Content(request, Json.DeleteRequest), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the server already has blob <paramref name="digest"/> ("sha256:&lt;hex&gt;").</summary>
    public async Task<bool> HeadBlobAsync(string digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Head, BlobPath(digest), null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Uploads a blob; the server verifies <paramref name="digest"/> against the bytes.</summary>
    public async Task PushBlobAsync(string digest, Stream content, CancellationToken cancellationToken = default)
    {
        var body = new StreamContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendRawAsync(HttpMethod.Post, BlobPath(digest), body, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string BlobPath(string digest) => "api/blobs/" + Uri.EscapeDataString(digest);

    private static ByteArrayContent Content<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (NdjsonReader.TryReadError(new Utf8JsonReader(bytes)) is { } error)
        {
            throw new OllamaApiException(response.StatusCode, error);
        }

        return JsonSerializer.Deserialize(bytes, typeInfo)
            ?? throw new OllamaApiException(response.StatusCode, "empty response body");
    }

    private async IAsyncEnumerable<T> StreamAsync<T>(
        HttpMethod method, string path, HttpContent content, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in NdjsonReader.ReadAsync(stream, typeInfo, response.StatusCode, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    private Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.ParseAdd(UserAgent);
        if (_apiKey is not null && _http.DefaultRequestHeaders.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        return _http.SendAsync(request, completion, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = response.Content is null ? string.Empty : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? message = null;
        if (body.Length > 0)
        {
            try
            {
                message = NdjsonReader.TryReadError(new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(body)));
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's HTML page, plain text): report the body itself.
            }
        }

        message ??= body.Length > 0 ? body.Trim() : response.ReasonPhrase ?? response.StatusCode.ToString();
        throw new OllamaApiException(response.StatusCode, message);
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
