using System.Net;
using System.Text;

namespace Corral.Server.Tests.Observability;

/// <summary><c>GET /metrics</c> against a real server: strict format, and counters that move by known amounts.</summary>
[Collection(SerialCollectionDefinition.Name)]
public sealed class MetricsEndpointTests(MetricsServerFixture fx) : IClassFixture<MetricsServerFixture>
{
    private const string Model = "successor:latest";

    [Fact]
    public async Task Generate_calls_move_request_token_and_latency_metrics_by_the_right_amounts()
    {
        await GenerateAsync("warm 1", 1); // loads the model, so every later figure comes from a loaded runner
        var before = await ScrapeAsync();

        for (var i = 0; i < 3; i++)
        {
            await GenerateAsync("x 3", 5);
        }

        var after = await ScrapeAsync();
        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);

        Assert.Equal(3, Delta("corral_http_requests_total", ("route", "/api/generate"), ("method", "POST"), ("status", "200")));
        Assert.Equal(15, Delta("corral_generated_tokens_total", ("model", Model)));
        Assert.True(Delta("corral_prompt_tokens_total", ("model", Model)) >= 3, "each request evaluates at least one prompt token");
        Assert.Equal(3, Delta("corral_http_request_duration_seconds_count", ("route", "/api/generate"), ("method", "POST")));
        Assert.Equal(3, Delta("corral_http_request_duration_seconds_bucket", ("route", "/api/generate"), ("method", "POST"), ("le", "+Inf")));
        Assert.Equal(3, Delta("corral_time_to_first_token_seconds_count", ("model", Model)));
        Assert.Equal(3, Delta("corral_tokens_per_second_count", ("model", Model)));
        Assert.True(Delta("corral_tokens_per_second_sum", ("model", Model)) > 0);
        Assert.Equal("histogram", after.Families["corral_time_to_first_token_seconds"].Type);
        Assert.Equal("counter", after.Families["corral_generated_tokens_total"].Type);

        // Scrape-time gauges from the scheduler and the runner's health.
        Assert.Equal(1, after.Value("corral_loaded_models"));
        Assert.True(after.Value("corral_loaded_model_bytes", ("model", Model)) > 0);
        Assert.True(after.Value("corral_kv_cache_used_cells", ("model", Model)) > 0);
        Assert.True(after.Value("corral_runner_slots", ("model", Model)) >= after.Value("corral_runner_active_slots", ("model", Model)) + 1, "slots per runner (the gateway reads them), none busy now");
        Assert.Equal(0, after.Value("corral_queue_depth"));
        Assert.Equal(0, after.Value("corral_runner_restarts_total"));
        Assert.Equal("gauge", after.Families["corral_queue_depth"].Type);
    }

    [Fact]
    public async Task Every_surface_is_counted_once()
    {
        await GenerateAsync("warm 1", 1);
        var before = await ScrapeAsync();
        using (var response = await fx.Http.PostAsync("/v1/completions", Json("""{"model":"successor","prompt":"x 3","max_tokens":4,"temperature":0}""")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await fx.Http.PostAsync("/api/generate", Json("""{"model":"successor","prompt":"x 3","options":{"num_predict":2}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // streamed NDJSON
            await response.Content.ReadAsStringAsync();
        }

        var after = await ScrapeAsync();
        Assert.Equal(6, after.Value("corral_generated_tokens_total", ("model", Model)) - before.Value("corral_generated_tokens_total", ("model", Model)));
        Assert.Equal(1, after.Value("corral_http_requests_total", ("route", "/v1/completions"), ("method", "POST"), ("status", "200"))
            - before.Value("corral_http_requests_total", ("route", "/v1/completions"), ("method", "POST"), ("status", "200")));
    }

    [Fact]
    public async Task Unknown_paths_share_one_label_and_failures_keep_their_status()
    {
        var before = await ScrapeAsync();
        for (var i = 0; i < 2; i++)
        {
            using var response = await fx.Http.GetAsync($"/no/such/path/{Guid.NewGuid()}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var missing = await fx.Http.PostAsync("/api/generate", Json("""{"model":"no-such-model","prompt":"hi"}""")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var after = await ScrapeAsync();
        Assert.Equal(2, after.Value("corral_http_requests_total", ("route", "unmatched"), ("method", "GET"), ("status", "404"))
            - before.Value("corral_http_requests_total", ("route", "unmatched"), ("method", "GET"), ("status", "404")));
        Assert.Equal(1, after.Value("corral_http_requests_total", ("route", "/api/generate"), ("status", "404"))
            - before.Value("corral_http_requests_total", ("route", "/api/generate"), ("status", "404")));
        Assert.DoesNotContain(after.Families.Values.SelectMany(f => f.Samples), s => s.Labels.Values.Any(v => v.Contains("/no/such", StringComparison.Ordinal)));
        Assert.DoesNotContain(after.Families.Values.SelectMany(f => f.Samples), s => s.Labels.Values.Any(v => v.Contains("no-such-model", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Metrics_is_text_format_0_0_4()
    {
        using var response = await fx.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
    }

    [Fact]
    public async Task Embeddings_count_their_prompt_tokens_on_every_embedding_route()
    {
        const string embedder = "embedder:latest";
        var before = await ScrapeAsync();
        int reported;
        using (var response = await fx.Http.PostAsync("/api/embed", Json("""{"model":"embedder","input":["hello world","a second input"]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            reported = body.RootElement.GetProperty("prompt_eval_count").GetInt32();
        }

        using (var response = await fx.Http.PostAsync("/v1/embeddings", Json("""{"model":"embedder","input":"hello world"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            reported += body.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        }

        var after = await ScrapeAsync();
        Assert.True(reported > 4, $"two inputs and one input evaluate several tokens, got {reported}");
        Assert.Equal(reported, after.Value("corral_prompt_tokens_total", ("model", embedder)) - before.Value("corral_prompt_tokens_total", ("model", embedder)));
        Assert.Equal(0, after.Value("corral_generated_tokens_total", ("model", embedder)) - before.Value("corral_generated_tokens_total", ("model", embedder)));
        await WaitForAsync(() => fx.Server.Log.Contains("POST /v1/embeddings 200", StringComparison.Ordinal));
        var line = fx.Server.Log.Split('\n').Last(l => l.Contains("POST /v1/embeddings 200", StringComparison.Ordinal));
        Assert.Contains("model=embedder:latest", line, StringComparison.Ordinal);
        Assert.Matches(@"prompt_tokens=[1-9]\d*", line);
    }

    [Fact]
    public async Task Request_log_has_one_line_per_request_with_model_and_tokens_but_never_the_prompt()
    {
        await GenerateAsync("quokkas 3", 5);
        await WaitForAsync(() => fx.Server.Log.Contains("eval_tokens=5", StringComparison.Ordinal));
        var line = fx.Server.Log.Split('\n').Last(l => l.Contains("POST /api/generate 200", StringComparison.Ordinal) && l.Contains("eval_tokens=5", StringComparison.Ordinal));
        Assert.Contains("model=successor:latest", line, StringComparison.Ordinal);
        Assert.Matches(@"prompt_tokens=\d+", line);
        Assert.Matches(@" \d+\.\dms", line);
        Assert.DoesNotContain("quokka", fx.Server.Log, StringComparison.Ordinal);
    }

    private async Task GenerateAsync(string prompt, int numPredict)
    {
        using var response = await fx.Http.PostAsync("/api/generate", Json($$$"""{"model":"successor","prompt":"{{{prompt}}}","stream":false,"options":{"num_predict":{{{numPredict}}}}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        var text = await fx.Http.GetStringAsync("/metrics");
        return PrometheusTextParser.Parse(text);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // The server's output reaches the test through a pipe, a moment after the response.
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(100);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
