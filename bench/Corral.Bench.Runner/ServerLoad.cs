using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Corral.Testing;

namespace Corral.Bench.Runner;

/// <summary>
/// The same work through the whole stack: a real <c>corral serve</c> (its own runner, the same model and
/// slot count), streamed <c>/v1/completions</c> over HTTP, so the figure includes Kestrel, the scheduler,
/// the OpenAI adapter, output parsing and SSE writing.
/// </summary>
internal sealed class ServerLoad : IAsyncDisposable
{
    private readonly ServerProcess _server;
    private readonly HttpClient _http;
    private readonly string _logitBias;

    private ServerLoad(ServerProcess server, string logitBias)
    {
        _server = server;
        _http = server.CreateClient();
        _logitBias = logitBias;
    }

    public static async Task<ServerLoad> StartAsync(string modelPath, int parallel, int contextPerSlot, int threads, IEnumerable<int> bannedTokens)
    {
        var models = Directory.CreateTempSubdirectory("corral-bench-store-").FullName;
        // Modelfile parameters: the same thread count and no repeat penalty, as on the runner side of the bench.
        await StoreSeeder.SeedAsync(models, "bench", modelPath, template: "{{ .Prompt }}", paramsJson: $"{{\"num_thread\":{threads},\"repeat_penalty\":1.0}}");
        var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["OLLAMA_NUM_PARALLEL"] = parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OLLAMA_CONTEXT_LENGTH"] = contextPerSlot.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, models);
        var bias = "{" + string.Join(',', bannedTokens.Select(t => $"\"{t}\":-100")) + "}";
        return new ServerLoad(server, bias);
    }

    public async Task<(double TokensPerSecond, double MeanTtftMs, int Generated)> RunAsync(IReadOnlyList<string> prompts, int tokens)
    {
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(prompts.Select(prompt => StreamAsync(prompt, tokens, clock)));
        var seconds = clock.Elapsed.TotalSeconds;
        var generated = results.Sum(r => r.Generated);
        return (generated / seconds, results.Average(r => r.FirstMs), generated);
    }

    private async Task<(double FirstMs, int Generated)> StreamAsync(string prompt, int tokens, Stopwatch clock)
    {
        var body = $$$"""
            {"model":"bench","prompt":{{{JsonSerializer.Serialize(prompt)}}},"max_tokens":{{{tokens}}},"temperature":0,"seed":0,
             "frequency_penalty":0,"presence_penalty":0,"logit_bias":{{{_logitBias}}},"stream":true,"stream_options":{"include_usage":true}}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double first = -1;
        var generated = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            if (first < 0)
            {
                first = clock.Elapsed.TotalMilliseconds;
            }

            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            if (chunk.RootElement.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                generated = usage.GetProperty("completion_tokens").GetInt32();
            }
        }

        return (first, generated);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }
}
