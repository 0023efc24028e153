using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Corral.Runner.Protocol;

namespace Corral.Runner.Client;

/// <summary>The server's typed client for one runner's Unix-socket protocol.</summary>
public sealed class RunnerClient : IDisposable
{
    private readonly HttpClient _http;

    public RunnerClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 1024,
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://runner/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<RunnerHealth> HealthAsync(CancellationToken cancellation)
    {
        using var response = await _http.GetAsync("health", cancellation).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(RunnerJsonContext.Default.RunnerHealth, cancellation).ConfigureAwait(false)
            ?? throw new RunnerException("runner sent an empty health response");
    }

    /// <summary>Streams a completion. Cancelling the token closes the connection, which frees the runner's slot.</summary>
    public async IAsyncEnumerable<CompletionChunk> CompleteAsync(CompletionRequest request, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stream = await StartCompletionAsync(request, cancellation).ConfigureAwait(false);
        using (stream)
        {
            await foreach (var chunk in stream.ReadAsync(cancellation).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
    }

    /// <summary>
    /// Sends a completion and returns once the runner has accepted it (it answers its headers as soon as the prompt
    /// is tokenized and checked, before prefill), so a refusal surfaces here, before a caller commits to a status.
    /// </summary>
    /// <exception cref="RunnerException">The runner refused the request (<see cref="RunnerException.IsBadRequest"/>) or is gone.</exception>
    public async Task<RunnerCompletionReply> StartCompletionAsync(CompletionRequest request, CancellationToken cancellation)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "completion")
        {
            Content = UnpooledJsonContent.Create(request, RunnerJsonContext.Default.CompletionRequest),
        };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RunnerException("model runner is not reachable (it may have stopped)", ex) { IsRunnerGone = true };
        }
        catch (OperationCanceledException ex) when (!cancellation.IsCancellationRequested)
        {
            // The runner was unloaded (its client disposed) while this request was connecting.
            throw new RunnerException("model runner stopped before the request started", ex) { IsRunnerGone = true };
        }

        try
        {
            if (response.StatusCode == System.Net.HttpStatusCode.BadRequest)
            {
                // The runner refused the request before starting it; its body is one chunk with the reason.
                var refusal = await response.Content.ReadFromJsonAsync(RunnerJsonContext.Default.CompletionChunk, cancellation).ConfigureAwait(false);
                throw new RunnerException(refusal?.Error ?? "model runner refused the request") { IsBadRequest = true };
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RunnerException($"model runner answered {(int)response.StatusCode}");
            }

            return new RunnerCompletionReply(response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<EmbeddingResponse> EmbedAsync(EmbeddingRequest request, CancellationToken cancellation)
    {
        try
        {
            using var response = await _http.PostAsync("embedding", UnpooledJsonContent.Create(request, RunnerJsonContext.Default.EmbeddingRequest), cancellation).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var result = await response.Content.ReadFromJsonAsync(RunnerJsonContext.Default.EmbeddingResponse, cancellation).ConfigureAwait(false)
                ?? throw new RunnerException("runner sent an empty embedding response");
            return result.Error is null ? result : throw new RunnerException(result.Error) { IsBadRequest = result.Refused };
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new RunnerException("model runner stopped unexpectedly", ex) { IsRunnerGone = true };
        }
    }

    /// <summary>One relevance score per document, in order; a runner-side failure (not a reranker, too long) is a <see cref="RunnerException"/>.</summary>
    public async Task<RerankResponse> RerankAsync(RerankRequest request, CancellationToken cancellation)
    {
        try
        {
            using var response = await _http.PostAsync("rerank", UnpooledJsonContent.Create(request, RunnerJsonContext.Default.RerankRequest), cancellation).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var result = await response.Content.ReadFromJsonAsync(RunnerJsonContext.Default.RerankResponse, cancellation).ConfigureAwait(false)
                ?? throw new RunnerException("runner sent an empty rerank response");
            return result.Error is null ? result : throw new RunnerException(result.Error) { IsBadRequest = result.Refused };
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new RunnerException("model runner stopped unexpectedly", ex) { IsRunnerGone = true };
        }
    }

    /// <param name="content">The text to tokenize.</param>
    /// <param name="cancellation">Stops the request.</param>
    /// <param name="addSpecial">Add BOS/EOS as the model is configured to.</param>
    /// <param name="parseSpecial">Turn special-token text into special tokens instead of plain text.</param>
    /// <param name="limit">Counting past this is not needed: a longer text may come back as only a leading part longer than it.</param>
    /// <exception cref="RunnerException">The runner is gone.</exception>
    public async Task<int[]> TokenizeAsync(string content, CancellationToken cancellation, bool addSpecial = true, int? limit = null, bool parseSpecial = true)
    {
        var request = new TokenizeRequest { Content = content, AddSpecial = addSpecial, ParseSpecial = parseSpecial, Limit = limit };
        var result = await PostAsync("tokenize", UnpooledJsonContent.Create(request, RunnerJsonContext.Default.TokenizeRequest), RunnerJsonContext.Default.TokenizeResponse, cancellation).ConfigureAwait(false);
        return result.Tokens;
    }

    /// <summary>Tokenizes <paramref name="content"/> and measures each image: the context positions it takes with this model's projector.</summary>
    /// <exception cref="RunnerException">The runner refused an image (<see cref="RunnerException.IsBadRequest"/>) or is gone.</exception>
    public async Task<TokenizeResponse> MeasureAsync(string content, List<byte[]> images, CancellationToken cancellation)
    {
        try
        {
            using var response = await _http.PostAsync("tokenize", UnpooledJsonContent.Create(new TokenizeRequest { Content = content, Images = images }, RunnerJsonContext.Default.TokenizeRequest), cancellation).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.BadRequest)
            {
                var refusal = await response.Content.ReadFromJsonAsync(RunnerJsonContext.Default.CompletionChunk, cancellation).ConfigureAwait(false);
                throw new RunnerException(refusal?.Error ?? "model runner refused the images") { IsBadRequest = true };
            }

            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync(RunnerJsonContext.Default.TokenizeResponse, cancellation).ConfigureAwait(false)
                ?? throw new RunnerException("runner sent an empty tokenize response");
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new RunnerException("model runner stopped unexpectedly", ex) { IsRunnerGone = true };
        }
    }

    /// <exception cref="RunnerException">An id outside the vocabulary (<see cref="RunnerException.IsBadRequest"/>), or the runner is gone.</exception>
    public async Task<string> DetokenizeAsync(int[] tokens, CancellationToken cancellation)
    {
        var content = UnpooledJsonContent.Create(new DetokenizeRequest { Tokens = tokens }, RunnerJsonContext.Default.DetokenizeRequest);
        var result = await PostAsync("detokenize", content, RunnerJsonContext.Default.DetokenizeResponse, cancellation).ConfigureAwait(false);
        return result.Content;
    }

    /// <summary>A one-shot call: a 400 carries the runner's reason (one <see cref="CompletionChunk"/>), a lost connection means the runner is gone.</summary>
    private async Task<T> PostAsync<T>(string path, HttpContent body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> answer, CancellationToken cancellation)
        where T : class
    {
        try
        {
            using var response = await _http.PostAsync(path, body, cancellation).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.BadRequest)
            {
                var refusal = await response.Content.ReadFromJsonAsync(RunnerJsonContext.Default.CompletionChunk, cancellation).ConfigureAwait(false);
                throw new RunnerException(refusal?.Error ?? "model runner refused the request") { IsBadRequest = true };
            }

            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync(answer, cancellation).ConfigureAwait(false)
                ?? throw new RunnerException($"runner sent an empty {path} response");
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new RunnerException("model runner stopped unexpectedly", ex) { IsRunnerGone = true };
        }
    }

    public void Dispose() => _http.Dispose();
}
