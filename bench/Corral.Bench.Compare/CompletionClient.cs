using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Corral.Bench.Common;

namespace Corral.Bench.Compare;

/// <summary>
/// Streamed <c>/v1/completions</c> at temperature 0 with end-of-generation banned through logit_bias, the
/// same request on both servers (llama-server also gets <c>ignore_eos</c>, which it understands), so
/// every stream is exactly max_tokens long.
/// </summary>
internal sealed class CompletionClient(HttpClient http, string model, IReadOnlyList<int> bannedTokens, bool ignoreEos)
{
    /// <param name="prompt">The prompt text, sent as is.</param>
    /// <param name="maxTokens">max_tokens; every stream is exactly this long.</param>
    /// <param name="cancellation">Stops the request.</param>
    /// <param name="firstToken">Completed when the first text arrives (the request is generating).</param>
    public async Task<RequestResult> StreamAsync(string prompt, int maxTokens, CancellationToken cancellation, TaskCompletionSource? firstToken = null)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new ByteArrayContent(Body(prompt, maxTokens)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.ConnectionClose = true; // see BenchHttp
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{http.BaseAddress}v1/completions answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false)}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        var reader = new StreamLineReader(stream);
        double ttft = -1;
        int chunks = 0, completion = 0, promptTokens = 0;
        int? cached = null;
        while (await reader.ReadLineAsync(cancellation).ConfigureAwait(false) is { } line)
        {
            var span = line.Span;
            if (!span.StartsWith("data: "u8) || span.StartsWith("data: [DONE]"u8))
            {
                continue;
            }

            var chunk = CompletionChunkScan.Parse(span["data: ".Length..]);
            if (chunk.Error is { } error)
            {
                throw new HttpRequestException($"{http.BaseAddress}v1/completions streamed an error: {error}");
            }

            if (chunk.HasText)
            {
                chunks++;
                if (ttft < 0)
                {
                    ttft = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    firstToken?.TrySetResult();
                }
            }

            completion = chunk.CompletionTokens ?? completion;
            promptTokens = chunk.PromptTokens ?? promptTokens;
            cached = chunk.CachedTokens ?? cached;
        }

        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (completion == 0)
        {
            throw new InvalidOperationException($"{http.BaseAddress}v1/completions sent no usage (stream_options.include_usage)");
        }

        return new RequestResult(ttft < 0 ? latency : ttft, latency, completion, promptTokens, cached, chunks);
    }

    private byte[] Body(string prompt, int maxTokens)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteString("prompt", prompt);
            json.WriteNumber("max_tokens", maxTokens);
            json.WriteNumber("temperature", 0);
            json.WriteNumber("seed", 0);
            json.WriteNumber("frequency_penalty", 0);
            json.WriteNumber("presence_penalty", 0);
            json.WriteStartObject("logit_bias");
            foreach (var token in bannedTokens)
            {
                json.WriteNumber(token.ToString(System.Globalization.CultureInfo.InvariantCulture), -100);
            }

            json.WriteEndObject();
            if (ignoreEos)
            {
                json.WriteBoolean("ignore_eos", true);
            }

            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
