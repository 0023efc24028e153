using System.Net;
using System.Text;
using System.Text.Json;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// Token counts and durations as Ollama reports them, on every surface: the whole prompt is counted however much
/// of it the prefix cache served (the cached part named where a protocol has a field for it), and load_duration
/// is always there, also for a model that is already loaded.
/// </summary>
public sealed class UsageAndTimingTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    [Theory]
    [InlineData("/api/generate", """{"model":"successor","prompt":"usage check one two three four five six seven","stream":false,"options":{"num_predict":3}}""")]
    [InlineData("/api/chat", """{"model":"successor-chat","messages":[{"role":"user","content":"usage check for chat"}],"stream":false,"options":{"num_predict":3}}""")]
    public async Task Prompt_eval_count_is_the_whole_prompt_also_when_the_cache_serves_it(string path, string body)
    {
        var first = await PostAsync(path, body);
        var hits = await PrefixCacheHitsAsync(path == "/api/chat" ? "successor-chat:latest" : "successor:latest");
        var again = await PostAsync(path, body);

        var count = first.GetProperty("prompt_eval_count").GetInt32();
        Assert.True(count > 5, $"prompt_eval_count {count}");
        Assert.Equal(count, again.GetProperty("prompt_eval_count").GetInt32());
        // The repeat really came from the cache: everything but the last prompt token.
        Assert.Equal(count - 1, await PrefixCacheHitsAsync(path == "/api/chat" ? "successor-chat:latest" : "successor:latest") - hits);
    }

    [Fact]
    public async Task OpenAI_chat_usage_counts_the_whole_prompt_and_names_the_cached_part()
    {
        const string body = """{"model":"successor-chat","messages":[{"role":"user","content":"openai usage accounting"}],"max_tokens":3}""";
        var first = (await PostAsync("/v1/chat/completions", body)).GetProperty("usage");
        var again = (await PostAsync("/v1/chat/completions", body)).GetProperty("usage");

        var prompt = first.GetProperty("prompt_tokens").GetInt32();
        Assert.True(prompt > 5);
        Assert.True(first.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32() < prompt - 1);
        Assert.Equal(prompt, again.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(prompt - 1, again.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(prompt + again.GetProperty("completion_tokens").GetInt32(), again.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task OpenAI_streamed_completion_usage_counts_the_whole_prompt()
    {
        const string body = """{"model":"successor","prompt":"streamed usage accounting for completions","max_tokens":3,"stream":true,"stream_options":{"include_usage":true}}""";
        var first = await StreamedUsageAsync("/v1/completions", body);
        var again = await StreamedUsageAsync("/v1/completions", body);

        Assert.Equal(first.GetProperty("prompt_tokens").GetInt32(), again.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(again.GetProperty("prompt_tokens").GetInt32() - 1, again.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public async Task Anthropic_input_and_cache_read_tokens_add_up_to_the_whole_prompt()
    {
        const string body = """{"model":"successor-chat","max_tokens":3,"messages":[{"role":"user","content":"anthropic usage accounting"}]}""";
        var first = (await PostAsync("/v1/messages", body)).GetProperty("usage");
        var again = (await PostAsync("/v1/messages", body)).GetProperty("usage");

        // Anthropic's input_tokens leaves out cache reads (clients add the two), so the sum is the whole prompt.
        var whole = first.GetProperty("input_tokens").GetInt32() + first.GetProperty("cache_read_input_tokens").GetInt32();
        Assert.Equal(whole, again.GetProperty("input_tokens").GetInt32() + again.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(1, again.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Responses_usage_counts_the_whole_prompt_and_names_the_cached_part()
    {
        const string body = """{"model":"successor-chat","input":"responses usage accounting","max_output_tokens":3}""";
        var first = (await PostAsync("/v1/responses", body)).GetProperty("usage");
        var again = (await PostAsync("/v1/responses", body)).GetProperty("usage");

        Assert.Equal(first.GetProperty("input_tokens").GetInt32(), again.GetProperty("input_tokens").GetInt32());
        Assert.Equal(again.GetProperty("input_tokens").GetInt32() - 1, again.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Theory]
    [InlineData("/api/generate", """{"model":"successor","prompt":"timing a","stream":false,"options":{"num_predict":2}}""")]
    [InlineData("/api/chat", """{"model":"successor-chat","messages":[{"role":"user","content":"timing b"}],"stream":false,"options":{"num_predict":2}}""")]
    [InlineData("/api/embed", """{"model":"embedder","input":"timing c"}""")]
    [InlineData("/api/embed", """{"model":"embedder","input":[]}""")]
    public async Task Load_duration_is_present_and_positive_when_the_model_is_already_loaded(string path, string body)
    {
        await PostAsync(path, body); // loads the model
        var answer = await PostAsync(path, body);

        Assert.True(answer.GetProperty("load_duration").GetInt64() > 0);
        Assert.True(answer.GetProperty("total_duration").GetInt64() >= answer.GetProperty("load_duration").GetInt64());
    }

    [Theory]
    [InlineData("/api/generate", """{"model":"successor","prompt":"streamed timing a","options":{"num_predict":2}}""")]
    [InlineData("/api/chat", """{"model":"successor-chat","messages":[{"role":"user","content":"streamed timing b"}],"options":{"num_predict":2}}""")]
    public async Task Streamed_final_chunk_has_load_duration_when_the_model_is_already_loaded(string path, string body)
    {
        await PostAsync(path, body.Replace("\"options\"", "\"stream\":false,\"options\"", StringComparison.Ordinal));
        using var response = await fx.Http.PostAsync(path, Json(body));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var final = JsonDocument.Parse(lines[^1]);

        Assert.True(final.RootElement.GetProperty("done").GetBoolean());
        Assert.True(final.RootElement.GetProperty("load_duration").GetInt64() > 0);
        Assert.True(final.RootElement.GetProperty("prompt_eval_count").GetInt32() > 0);
    }

    private async Task<JsonElement> PostAsync(string path, string body)
    {
        using var response = await fx.Http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> StreamedUsageAsync(string path, string body)
    {
        using var response = await fx.Http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var usage = text.Split('\n')
            .Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement.Clone())
            .Single(e => e.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object);
        return usage.GetProperty("usage");
    }

    private async Task<double> PrefixCacheHitsAsync(string model) =>
        Observability.PrometheusTextParser.Parse(await fx.Http.GetStringAsync("/metrics"))
            .Value("corral_prefix_cache_hit_tokens_total", ("model", model));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
