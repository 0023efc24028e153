using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.TestModels;

namespace Corral.Server.Tests.Inference;

/// <summary>/api/generate and /api/chat end to end: real server, real runner, the successor model.</summary>
public sealed class GenerateAndChatTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    [Fact]
    public async Task Generate_streams_ndjson_and_ends_with_counts_and_context()
    {
        var chunks = new List<GenerateResponse>();
        await foreach (var chunk in fx.Client.GenerateStreamAsync(new GenerateRequest { Model = "successor", Prompt = "hello a" }))
        {
            chunks.Add(chunk);
        }

        var final = chunks[^1];
        Assert.True(final.Done);
        Assert.Equal("stop", final.DoneReason);
        Assert.Equal("bcdefghijklmnopqrstuvwxyz", string.Concat(chunks.Select(c => c.Response)));
        Assert.True(chunks.Count > 20, "each token arrives as its own line");
        Assert.Equal(25, final.EvalCount);
        Assert.True(final.PromptEvalCount > 0);
        Assert.True(final.TotalDuration >= final.EvalDuration);
        Assert.NotNull(final.Context);
        Assert.Equal("successor", final.Model);
    }

    [Fact]
    public async Task Generate_without_streaming_returns_one_object()
    {
        using var response = await fx.Http.PostAsync("/api/generate", Json("""{"model":"successor","prompt":"x 3","stream":false,"options":{"num_predict":5}}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain('\n', body.TrimEnd());
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("45678", doc.RootElement.GetProperty("response").GetString());
        Assert.Equal("length", doc.RootElement.GetProperty("done_reason").GetString());
        Assert.Equal(5, doc.RootElement.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task Generate_honours_stop_and_context_continuation()
    {
        var first = await fx.Client.GenerateAsync(new GenerateRequest { Model = "successor", Prompt = "n 0", Options = new ModelOptions { Stop = ["56"] } });
        Assert.Equal("1234", first.Response);

        // Continuing from the returned context: the prompt "7" follows the earlier exchange.
        var next = await fx.Client.GenerateAsync(new GenerateRequest { Model = "successor", Prompt = "7", Context = first.Context, Options = new ModelOptions { NumPredict = 3 } });
        Assert.Equal("890", next.Response);
    }

    [Fact]
    public async Task Chat_renders_the_template_and_answers()
    {
        var response = await fx.Client.ChatAsync(new ChatRequest
        {
            Model = "successor-chat",
            Messages = [new Message { Role = "user", Content = "hi" }],
        });

        Assert.Equal("assistant", response.Message.Role);
        Assert.Equal(SuccessorModel.Alphabet, response.Message.Content);
        Assert.Equal("stop", response.DoneReason);
        Assert.Equal(26, response.EvalCount);
    }

    [Fact]
    public async Task Chat_streams_message_deltas()
    {
        var text = new StringBuilder();
        ChatResponse? last = null;
        await foreach (var chunk in fx.Client.ChatStreamAsync(new ChatRequest { Model = "successor-chat", Messages = [new Message { Role = "user", Content = "go" }], Options = new ModelOptions { NumPredict = 4 } }))
        {
            text.Append(chunk.Message.Content);
            last = chunk;
        }

        Assert.Equal("abcd", text.ToString());
        Assert.True(last!.Done);
        Assert.Equal("length", last.DoneReason);
    }

    [Fact]
    public async Task Second_turn_of_a_chat_evaluates_only_the_new_turn()
    {
        var history = new List<Message> { new() { Role = "user", Content = new string('q', 300) } };
        var first = await fx.Client.ChatAsync(new ChatRequest { Model = "successor-chat", Messages = history, Options = new ModelOptions { NumPredict = 3 } });
        history.Add(first.Message);
        history.Add(new Message { Role = "user", Content = "more" });
        var hits = await PrefixCacheHitsAsync();
        var second = await fx.Client.ChatAsync(new ChatRequest { Model = "successor-chat", Messages = history, Options = new ModelOptions { NumPredict = 3 } });

        // prompt_eval_count is the whole prompt (as Ollama counts it); the first turn came from the cache.
        Assert.True(first.PromptEvalCount > 300);
        Assert.InRange(second.PromptEvalCount, first.PromptEvalCount + 1, first.PromptEvalCount + 30);
        Assert.InRange(await PrefixCacheHitsAsync() - hits, first.PromptEvalCount - 1, second.PromptEvalCount - 1);
    }

    private async Task<double> PrefixCacheHitsAsync() =>
        Observability.PrometheusTextParser.Parse(await fx.Http.GetStringAsync("/metrics"))
            .Value("corral_prefix_cache_hit_tokens_total", ("model", "successor-chat:latest"));

    [Fact]
    public async Task Debug_render_only_returns_the_prompt_without_running()
    {
        using var response = await fx.Http.PostAsync("/api/chat", Json("""{"model":"successor-chat","messages":[{"role":"user","content":"hello"}],"_debug_render_only":true}"""));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nbe brief<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nhello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            doc.RootElement.GetProperty("_debug_info").GetProperty("rendered_template").GetString());
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_exact_answer()
    {
        var prompts = new[] { "a", "x 2", "m", "y 6", "q", "w 0" };
        var results = await Task.WhenAll(prompts.Select(p => fx.Client.GenerateAsync(new GenerateRequest { Model = "successor", Prompt = p, Options = new ModelOptions { NumPredict = 12 } })));
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(SuccessorModel.ExpectedContinuation(prompts[i], 12).Text, results[i].Response);
        }
    }

    [Fact]
    public async Task Same_seed_gives_the_same_text_with_sampling()
    {
        var request = new GenerateRequest { Model = "random", Prompt = "tell me", Options = new ModelOptions { Seed = 42, Temperature = 1.0f, NumPredict = 24 } };
        var a = await fx.Client.GenerateAsync(request);
        var b = await fx.Client.GenerateAsync(request);
        Assert.Equal(a.Response, b.Response);
        Assert.Equal(24, a.EvalCount);
    }

    [Fact]
    public async Task Empty_prompt_loads_and_keep_alive_zero_unloads()
    {
        var load = await fx.Client.GenerateAsync(new GenerateRequest { Model = "random", KeepAlive = KeepAlive.Parse("10m") });
        Assert.Equal("load", load.DoneReason);
        var ps = await fx.Client.PsAsync();
        var loaded = Assert.Single(ps.Models, m => m.Name == "random:latest");
        Assert.True(loaded.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(8));
        Assert.True(loaded.Size > 0);

        var unload = await fx.Client.GenerateAsync(new GenerateRequest { Model = "random", KeepAlive = KeepAlive.UnloadNow });
        Assert.Equal("unload", unload.DoneReason);
        ps = await fx.Client.PsAsync();
        Assert.DoesNotContain(ps.Models, m => m.Name == "random:latest");
    }

    [Theory]
    [InlineData("/api/generate", "{not json", 400, "invalid JSON")]
    [InlineData("/api/generate", "", 400, "missing request body")]
    [InlineData("/api/generate", """{"prompt":"hi"}""", 404, "model '' not found")] // Ollama's generate answers no name as an unknown one
    [InlineData("/api/generate", """{"model":"nope","prompt":"hi"}""", 404, "model 'nope' not found")]
    [InlineData("/api/generate", """{"model":"../../x","prompt":"hi"}""", 400, "invalid model name")]
    [InlineData("/api/generate", """{"model":"a\u0000b","prompt":"hi"}""", 400, "invalid model name")]
    [InlineData("/api/generate", """{"model":"successor","prompt":"hi","options":{"num_ctx":-5}}""", 400, "num_ctx")]
    [InlineData("/api/generate", """{"model":"successor","prompt":"hi","options":{"num_ctx":99999999999}}""", 400, "num_ctx")]
    [InlineData("/api/generate", """{"model":"successor","prompt":"hi","options":{"num_predict":-7}}""", 400, "num_predict")]
    [InlineData("/api/generate", """{"model":"embedder","prompt":"hi"}""", 400, "does not support generate")]
    [InlineData("/api/chat", """{"model":"embedder","messages":[{"role":"user","content":"x"}]}""", 400, "does not support chat")]
    [InlineData("/api/chat", """{"model":"nope","messages":[]}""", 404, "not found")]
    [InlineData("/api/embed", """{"model":"successor","input":"x"}""", 400, "does not support embeddings")]
    [InlineData("/api/generate", """{"model":"successor","prompt":"hi","keep_alive":"forever-ish"}""", 400, "")]
    public async Task Bad_input_gets_an_ollama_shaped_error(string path, string body, int status, string fragment)
    {
        using var response = await fx.Http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(text);
        Assert.Contains(fragment, doc.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Unknown_model_through_the_client_is_a_404_exception()
    {
        var error = await Assert.ThrowsAsync<OllamaApiException>(() => fx.Client.GenerateAsync(new GenerateRequest { Model = "missing-model", Prompt = "x" }));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
