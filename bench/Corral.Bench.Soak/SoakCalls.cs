using System.Net.Http.Headers;
using System.Text.Json;
using Corral.Bench.Common;

namespace Corral.Bench.Soak;

/// <summary>
/// One request of each kind the soak sends, with the checks that make a 200 an answer: a stream must end properly
/// (done, or [DONE]) and carry no error; a whole answer must hold what its API promises. Anything else throws
/// <see cref="SoakFailure"/> with the error's kind.
/// </summary>
internal sealed class SoakCalls(HttpClient http, Random random)
{
    private const string Chat = SoakStore.ChatModel;
    private const string Embedder = SoakStore.EmbedModel;

    public async Task GenerateAsync(bool stream, CancellationToken cancellation)
    {
        var body = RequestBodies.Generate(Chat, Prompts.Next(random), stream, NumPredict());
        using var response = await PostAsync("/api/generate", body, cancellation).ConfigureAwait(false);
        if (stream)
        {
            await ReadStreamAsync(response, StreamFormat.Ndjson, "generate", int.MaxValue, cancellation).ConfigureAwait(false);
            return;
        }

        using var answer = await ReadJsonAsync(response, "generate", cancellation).ConfigureAwait(false);
        Json.Require(answer.RootElement, "generate", "response");
        RequireDone(answer.RootElement, "generate");
    }

    public async Task ChatAsync(bool stream, CancellationToken cancellation)
    {
        var body = RequestBodies.Chat(Chat, Conversation(), stream, NumPredict());
        using var response = await PostAsync("/api/chat", body, cancellation).ConfigureAwait(false);
        if (stream)
        {
            await ReadStreamAsync(response, StreamFormat.Ndjson, "chat", int.MaxValue, cancellation).ConfigureAwait(false);
            return;
        }

        using var answer = await ReadJsonAsync(response, "chat", cancellation).ConfigureAwait(false);
        Json.Require(answer.RootElement, "chat", "message", "content");
        RequireDone(answer.RootElement, "chat");
    }

    public async Task OpenAIChatAsync(bool stream, CancellationToken cancellation)
    {
        var body = RequestBodies.OpenAIChat(Chat, Conversation(), stream, NumPredict());
        using var response = await PostAsync("/v1/chat/completions", body, cancellation).ConfigureAwait(false);
        if (stream)
        {
            await ReadStreamAsync(response, StreamFormat.Sse, "v1 chat", int.MaxValue, cancellation).ConfigureAwait(false);
            return;
        }

        using var answer = await ReadJsonAsync(response, "v1 chat", cancellation).ConfigureAwait(false);
        Json.Require(answer.RootElement, "v1 chat", "choices", 0, "message");
        Json.Require(answer.RootElement, "v1 chat", "choices", 0, "finish_reason");
    }

    public async Task EmbedAsync(CancellationToken cancellation)
    {
        var inputs = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Prompts.Next(random)).ToList();
        using var response = await PostAsync("/api/embed", RequestBodies.Embed(Embedder, inputs), cancellation).ConfigureAwait(false);
        using var answer = await ReadJsonAsync(response, "embed", cancellation).ConfigureAwait(false);
        var embeddings = Json.Require(answer.RootElement, "embed", "embeddings");
        if (embeddings.GetArrayLength() != inputs.Count || embeddings[0].GetArrayLength() == 0)
        {
            throw new SoakFailure("embed answer has the wrong number of vectors");
        }
    }

    public async Task OpenAIEmbeddingsAsync(CancellationToken cancellation)
    {
        using var response = await PostAsync("/v1/embeddings", RequestBodies.OpenAIEmbeddings(Embedder, Prompts.Next(random)), cancellation).ConfigureAwait(false);
        using var answer = await ReadJsonAsync(response, "v1 embeddings", cancellation).ConfigureAwait(false);
        if (Json.Require(answer.RootElement, "v1 embeddings", "data", 0, "embedding").GetArrayLength() == 0)
        {
            throw new SoakFailure("v1 embeddings answer has an empty vector");
        }
    }

    /// <summary>/api/tags must list both models.</summary>
    public async Task TagsAsync(CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/tags", null, cancellation).ConfigureAwait(false);
        using var answer = await ReadJsonAsync(response, "tags", cancellation).ConfigureAwait(false);
        RequireBothModels(Json.Require(answer.RootElement, "tags", "models"), "tags");
    }

    /// <summary>/api/ps must list both models loaded: an unload or a crash between requests shows here.</summary>
    public async Task PsAsync(CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/ps", null, cancellation).ConfigureAwait(false);
        using var answer = await ReadJsonAsync(response, "ps", cancellation).ConfigureAwait(false);
        RequireBothModels(Json.Require(answer.RootElement, "ps", "models"), "ps");
    }

    public async Task ShowAsync(CancellationToken cancellation)
    {
        var model = random.Next(2) == 0 ? Chat : Embedder;
        using var response = await PostAsync("/api/show", RequestBodies.Show(model), cancellation).ConfigureAwait(false);
        using var answer = await ReadJsonAsync(response, "show", cancellation).ConfigureAwait(false);
        Json.Require(answer.RootElement, "show", "details");
        Json.Require(answer.RootElement, "show", "model_info");
    }

    /// <summary>
    /// A client that goes away mid-stream: a long streamed generate, chat or /v1 chat, dropped after its first 1–4
    /// chunks (disposing the response aborts the connection). Not an error; the server must free the slot.
    /// </summary>
    public async Task DisconnectMidStreamAsync(CancellationToken cancellation)
    {
        var keep = random.Next(1, 5);
        var tokens = random.Next(64, 129);
        var (path, body, format) = random.Next(3) switch
        {
            0 => ("/api/generate", RequestBodies.Generate(Chat, Prompts.Next(random), stream: true, tokens), StreamFormat.Ndjson),
            1 => ("/api/chat", RequestBodies.Chat(Chat, Conversation(), stream: true, tokens), StreamFormat.Ndjson),
            _ => ("/v1/chat/completions", RequestBodies.OpenAIChat(Chat, Conversation(), stream: true, tokens), StreamFormat.Sse),
        };
        using var response = await PostAsync(path, body, cancellation).ConfigureAwait(false);
        await ReadStreamAsync(response, format, "disconnect", keep, cancellation).ConfigureAwait(false);
    }

    private int NumPredict() => random.Next(16, 33);

    /// <summary>One user turn, sometimes after a system prompt and an earlier exchange.</summary>
    private List<(string Role, string Content)> Conversation()
    {
        var messages = new List<(string Role, string Content)>();
        if (random.Next(3) == 0)
        {
            messages.Add(("system", "You are a terse assistant. " + Prompts.Next(random)));
        }

        if (random.Next(3) == 0)
        {
            messages.Add(("user", Prompts.Next(random)));
            messages.Add(("assistant", Prompts.Next(random)));
        }

        messages.Add(("user", Prompts.Next(random)));
        return messages;
    }

    private Task<HttpResponseMessage> PostAsync(string path, byte[] body, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Post, path, body, cancellation);

    /// <summary>Sends and returns once the headers are in; a non-2xx answer is a failure of kind "HTTP status: error".</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
                throw new SoakFailure(ErrorKinds.Http((int)response.StatusCode, text));
            }
        }

        return response;
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellation)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        var document = Json.Parse(bytes, what);
        if (Json.ErrorMessage(document.RootElement) is { } error)
        {
            document.Dispose();
            throw new SoakFailure($"{what} answered 200 with an error: {ErrorKinds.FirstWords(error)}");
        }

        return document;
    }

    /// <summary>
    /// Reads a stream to its end (done / [DONE]), failing on an error chunk, bad JSON, text after the end or an end
    /// without one; with <paramref name="stopAfter"/> it returns after that many chunks instead (the caller then drops it).
    /// </summary>
    private static async Task ReadStreamAsync(HttpResponseMessage response, StreamFormat format, string what, int stopAfter, CancellationToken cancellation)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        var reader = new StreamLineReader(body);
        var chunks = 0;
        var ended = false;
        while (await reader.ReadLineAsync(cancellation).ConfigureAwait(false) is { } line)
        {
            var json = line;
            if (format == StreamFormat.Sse)
            {
                if (!line.Span.StartsWith("data: "u8))
                {
                    continue;
                }

                json = line["data: ".Length..];
            }

            if (json.IsEmpty)
            {
                continue;
            }

            if (ended)
            {
                throw new SoakFailure($"{what} stream went on after its end");
            }

            if (format == StreamFormat.Sse && json.Span.SequenceEqual("[DONE]"u8))
            {
                ended = true;
                continue;
            }

            using var chunk = Json.Parse(json, what + " stream");
            if (Json.ErrorMessage(chunk.RootElement) is { } error)
            {
                throw new SoakFailure($"{what} stream error: {ErrorKinds.FirstWords(error)}");
            }

            ended = format == StreamFormat.Ndjson && chunk.RootElement.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True;
            if (++chunks >= stopAfter)
            {
                return;
            }
        }

        if (!ended)
        {
            throw new SoakFailure($"{what} stream ended without its final chunk");
        }
    }

    private static void RequireDone(JsonElement root, string what)
    {
        if (!root.TryGetProperty("done", out var done) || done.ValueKind != JsonValueKind.True)
        {
            throw new SoakFailure($"{what} answer is not done");
        }
    }

    private static void RequireBothModels(JsonElement models, string what)
    {
        var names = models.EnumerateArray().Select(m => m.TryGetProperty("name", out var n) ? n.GetString() : null).ToHashSet();
        var missing = new[] { Chat, Embedder }.Where(m => !names.Contains(m + ":latest")).ToList();
        if (missing.Count > 0)
        {
            throw new SoakFailure($"{what} does not list {string.Join(" and ", missing)}");
        }
    }
}
