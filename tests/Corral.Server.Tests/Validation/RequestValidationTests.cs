using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Server.Tests.Inference;

namespace Corral.Server.Tests.Validation;

/// <summary>
/// The request checks Corral shares with Ollama's handlers and its OpenAI and Anthropic layers, end to end against
/// one real server: one row per check, with Ollama's status and exact words (clients match on them).
/// </summary>
public sealed class RequestValidationTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private const string Hi = """[{"role":"user","content":"hi"}]""";
    private const string WeatherTool = """{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}""";

    public static TheoryData<string, string, int, string> NativeChecks => new()
    {
        // path, body, status, Ollama's exact error
        { "/api/generate", """{"model":"successor","prompt":"hi","logprobs":true,"top_logprobs":21}""", 400, "top_logprobs must be between 0 and 20" },
        { "/api/generate", """{"model":"successor","prompt":"hi","top_logprobs":-1}""", 400, "top_logprobs must be between 0 and 20" },
        // top_logprobs is checked before the model is looked up.
        { "/api/generate", """{"model":"nope","prompt":"hi","top_logprobs":21}""", 400, "top_logprobs must be between 0 and 20" },
        { "/api/generate", """{"model":"","prompt":"hi"}""", 404, "model '' not found" },
        { "/api/generate", """{"model":"../../x","prompt":"hi"}""", 400, "invalid model name" },
        { "/api/generate", """{"model":"nope","prompt":"hi"}""", 404, "model 'nope' not found" },
        { "/api/generate", """{"model":"successor","prompt":"hi","raw":true,"template":"{{ .Prompt }}"}""", 400, "raw mode does not support template, system, or context" },
        { "/api/generate", """{"model":"successor","prompt":"hi","raw":true,"system":"be brief"}""", 400, "raw mode does not support template, system, or context" },
        { "/api/generate", """{"model":"successor","prompt":"hi","raw":true,"context":[1,2]}""", 400, "raw mode does not support template, system, or context" },
        { "/api/generate", """{"model":"successor","prompt":"def f(","suffix":"return x"}""", 400, "registry.ollama.ai/library/successor:latest does not support insert" },
        { "/api/generate", """{"model":"successor","suffix":"return x"}""", 400, "registry.ollama.ai/library/successor:latest does not support insert" },
        { "/api/generate", """{"model":"successor","prompt":"hi","think":"max"}""", 400, "\"successor\" does not support thinking" },
        { "/api/generate", """{"model":"embedder","prompt":"hi"}""", 400, "\"embedder\" does not support generate" },
        // Thinking is checked before what the model can do, as in Ollama.
        { "/api/generate", """{"model":"embedder","prompt":"hi","think":true}""", 400, "\"embedder\" does not support thinking" },
        { "/api/chat", $$"""{"model":"successor-chat","messages":{{Hi}},"logprobs":true,"top_logprobs":21}""", 400, "top_logprobs must be between 0 and 20" },
        { "/api/chat", $$"""{"model":"nope","messages":{{Hi}},"top_logprobs":-3}""", 400, "top_logprobs must be between 0 and 20" },
        { "/api/chat", $$"""{"model":"","messages":{{Hi}}}""", 400, "model is required" },
        { "/api/chat", $$"""{"model":"a\u0000b","messages":{{Hi}}}""", 400, "invalid model name" },
        { "/api/chat", $$"""{"model":"nope","messages":{{Hi}}}""", 404, "model 'nope' not found" },
        { "/api/chat", $$"""{"model":"successor-chat","messages":{{Hi}},"tools":[{{WeatherTool}}]}""", 400, "registry.ollama.ai/library/successor-chat:latest does not support tools" },
        { "/api/chat", $$"""{"model":"embedder","messages":{{Hi}}}""", 400, "\"embedder\" does not support chat" },
        // Chat is checked before tools: the model can do neither, and Ollama names chat.
        { "/api/chat", $$"""{"model":"embedder","messages":{{Hi}},"tools":[{{WeatherTool}}]}""", 400, "\"embedder\" does not support chat" },
        { "/api/embed", """{"model":"","input":"hi"}""", 404, "model '' not found" },
        { "/api/embed", """{"model":"nope","input":"hi"}""", 404, "model \"nope\" not found, try pulling it first" },
        { "/api/embeddings", """{"model":"","prompt":"hi"}""", 400, "model is required" },
        { "/api/embeddings", """{"model":"nope","prompt":"hi"}""", 404, "model \"nope\" not found, try pulling it first" },
    };

    public static TheoryData<string, string, int, string, string> OpenAIChecks => new()
    {
        // path, body, status, error type, Ollama's exact message
        { "/v1/chat/completions", """{"model":"successor-chat","messages":[]}""", 400, "invalid_request_error", "[] is too short - 'messages'" },
        { "/v1/chat/completions", $$"""{"model":"successor-chat","messages":{{Hi}},"top_logprobs":21}""", 400, "invalid_request_error", "top_logprobs must be between 0 and 20" },
        { "/v1/chat/completions", """{"model":"successor-chat","messages":[{"role":"user","content":[{"type":"video","video":"x"}]}]}""", 400, "invalid_request_error", "invalid message format" },
        { "/v1/chat/completions", """{"model":"successor-chat","messages":[{"role":"user","content":[{"type":"text"}]}]}""", 400, "invalid_request_error", "invalid message format" },
        { "/v1/chat/completions", """{"model":"successor-chat","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}""", 400, "invalid_request_error", "image URLs are not currently supported, please use base64 encoded data instead" },
        { "/v1/chat/completions", """{"model":"successor-chat","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:text/plain;base64,aGk="}}]}]}""", 400, "invalid_request_error", "invalid image input" },
        { "/v1/chat/completions", """{"model":"successor-chat","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,not base64!"}}]}]}""", 400, "invalid_request_error", "invalid image input" },
        { "/v1/chat/completions", """{"model":"successor-chat","messages":[{"role":"user","content":null}]}""", 400, "invalid_request_error", "invalid message content type: <nil>" },
        { "/v1/chat/completions", """{"model":"successor-chat","messages":[{"role":"user"}]}""", 400, "invalid_request_error", "invalid message content type: <nil>" },
        { "/v1/chat/completions", """{"model":"successor-chat","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"not json"}}]}]}""", 400, "invalid_request_error", "invalid tool call arguments" },
        { "/v1/chat/completions", $$"""{"model":"successor-chat","messages":{{Hi}},"reasoning_effort":"extreme"}""", 400, "invalid_request_error", "invalid reasoning value: \"extreme\" (must be \"minimal\", \"low\", \"medium\", \"high\", \"xhigh\", \"ultra\", \"max\", or \"none\")" },
        // "minimal" and "xhigh" are valid efforts (clamped to low and max): this model is refused only because it can't think.
        { "/v1/chat/completions", $$"""{"model":"successor-chat","messages":{{Hi}},"reasoning_effort":"minimal"}""", 400, "invalid_request_error", "\"successor-chat\" does not support thinking" },
        { "/v1/chat/completions", $$$"""{"model":"successor-chat","messages":{{{Hi}}},"reasoning":{"effort":"xhigh"}}""", 400, "invalid_request_error", "\"successor-chat\" does not support thinking" },
        { "/v1/chat/completions", $$"""{"model":"successor-chat","messages":{{Hi}},"tools":[{{WeatherTool}}]}""", 400, "invalid_request_error", "registry.ollama.ai/library/successor-chat:latest does not support tools" },
        { "/v1/chat/completions", $$"""{"model":"nope","messages":{{Hi}}}""", 404, "not_found_error", "model 'nope' not found" },
        { "/v1/completions", """{"model":"successor","prompt":"hi","logprobs":21}""", 400, "invalid_request_error", "top_logprobs must be between 0 and 20" },
        { "/v1/completions", """{"model":"successor","prompt":"def f(","suffix":"return x"}""", 400, "invalid_request_error", "registry.ollama.ai/library/successor:latest does not support insert" },
        { "/v1/completions", """{"model":"","prompt":"hi"}""", 404, "not_found_error", "model '' not found" },
        { "/v1/completions", """{"model":"nope","prompt":"hi"}""", 404, "not_found_error", "model 'nope' not found" },
        { "/v1/embeddings", """{"model":"embedder","input":"hi","encoding_format":"int8"}""", 400, "invalid_request_error", "Invalid value for 'encoding_format' = int8. Supported values: ['float', 'base64']." },
        { "/v1/embeddings", """{"model":"embedder"}""", 400, "invalid_request_error", "invalid input" },
        { "/v1/embeddings", """{"model":"embedder","input":[]}""", 400, "invalid_request_error", "invalid input" },
        { "/v1/embeddings", """{"model":"embedder","input":[[1,2,3]]}""", 400, "invalid_request_error", "invalid input type" },
        { "/v1/embeddings", """{"model":"embedder","input":["hi",7]}""", 400, "invalid_request_error", "invalid input type" },
        { "/v1/embeddings", """{"model":"embedder","input":{"text":"hi"}}""", 400, "invalid_request_error", "invalid input type" },
        { "/v1/embeddings", """{"model":"","input":"hi"}""", 404, "not_found_error", "model '' not found" },
        { "/v1/embeddings", """{"model":"nope","input":"hi"}""", 404, "not_found_error", "model \"nope\" not found, try pulling it first" },
        { "/v1/responses", """{"model":"successor-chat","input":[{"content":"hi"}]}""", 400, "invalid_request_error", "input[0]: input item missing required 'type' field" },
        { "/v1/responses", """{"model":"successor-chat","input":[{"type":"computer_call"}]}""", 400, "invalid_request_error", "input[0]: unknown input item type: \"computer_call\"" },
        { "/v1/responses", """{"model":"successor-chat","input":[{"role":"user","content":[{"type":"input_text","text":"hi"},{"type":"input_audio"}]}]}""", 400, "invalid_request_error", "input[0]: content[1]: unknown content type: input_audio" },
        { "/v1/responses", """{"model":"successor-chat","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}""", 400, "invalid_request_error", "file inputs are not currently supported" },
        { "/v1/responses", """{"model":"successor-chat","input":"hi","reasoning":{"effort":"extreme"}}""", 400, "invalid_request_error", "invalid reasoning value: \"extreme\" (must be \"minimal\", \"low\", \"medium\", \"high\", \"xhigh\", \"ultra\", \"max\", or \"none\")" },
        { "/v1/responses", """{"model":"nope","input":"hi"}""", 404, "not_found_error", "model 'nope' not found" },
    };

    public static TheoryData<string, string, int, string, string> AnthropicChecks => new()
    {
        // path, body, status, error type, Ollama's exact message
        { "/v1/messages", $$"""{"max_tokens":5,"messages":{{Hi}}}""", 400, "invalid_request_error", "model is required" },
        { "/v1/messages", $$"""{"model":"successor-chat","messages":{{Hi}}}""", 400, "invalid_request_error", "max_tokens is required and must be positive" },
        { "/v1/messages", $$"""{"model":"successor-chat","max_tokens":0,"messages":{{Hi}}}""", 400, "invalid_request_error", "max_tokens is required and must be positive" },
        { "/v1/messages", """{"model":"successor-chat","max_tokens":5,"messages":[]}""", 400, "invalid_request_error", "messages is required" },
        { "/v1/messages", """{"model":"successor-chat","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image"}]}]}""", 400, "invalid_request_error", "invalid image source" },
        { "/v1/messages", """{"model":"successor-chat","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}}]}]}""", 400, "invalid_request_error", "invalid image source type: url. Only base64 images are supported." },
        { "/v1/messages", """{"model":"successor-chat","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO*not"}}]}]}""", 400, "invalid_request_error", "invalid base64 image data: illegal base64 data at input byte 4" },
        { "/v1/messages", """{"model":"successor-chat","max_tokens":5,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","name":"f","input":{}}]}]}""", 400, "invalid_request_error", "tool_use block missing required 'id' field" },
        { "/v1/messages", """{"model":"successor-chat","max_tokens":5,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","input":{}}]}]}""", 400, "invalid_request_error", "tool_use block missing required 'name' field" },
        { "/v1/messages", """{"model":"successor-chat","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"image"}]}]}]}""", 400, "invalid_request_error", "invalid tool_result image source" },
        { "/v1/messages", $$"""{"model":"nope","max_tokens":5,"messages":{{Hi}}}""", 404, "not_found_error", "model 'nope' not found" },
        { "/v1/messages/count_tokens", $$"""{"messages":{{Hi}}}""", 400, "invalid_request_error", "model is required" },
        { "/v1/messages/count_tokens", """{"model":"successor-chat","messages":[]}""", 400, "invalid_request_error", "messages is required" },
    };

    [Theory]
    [MemberData(nameof(NativeChecks))]
    public async Task Native_check_answers_with_ollamas_status_and_words(string path, string body, int status, string error)
    {
        using var response = await fx.Http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal(error, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [MemberData(nameof(OpenAIChecks))]
    public async Task OpenAI_check_answers_with_ollamas_status_type_and_words(string path, string body, int status, string type, string message)
    {
        using var response = await fx.Http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(AnthropicChecks))]
    public async Task Anthropic_check_answers_with_ollamas_status_type_and_words(string path, string body, int status, string type, string message)
    {
        using var response = await fx.Http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal(type, root.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(message, root.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_think_level_is_refused_in_ollamas_words()
    {
        using var response = await fx.Http.PostAsync("/api/chat", Json($$"""{"model":"successor-chat","messages":{{Hi}},"think":"extreme"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.Contains("invalid think value: \"extreme\" (must be \"high\", \"medium\", \"low\", \"max\", true, or false)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_requests_load_nothing()
    {
        // "random" is used by no other test of this class, and tests of one class run one after another.
        foreach (var body in (string[])[
            """{"model":"random","prompt":"hi","top_logprobs":99}""",
            """{"model":"random","prompt":"hi","raw":true,"system":"x"}""",
            """{"model":"random","prompt":"hi","suffix":"x"}""",
        ])
        {
            using var response = await fx.Http.PostAsync("/api/generate", Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.DoesNotContain((await fx.Client.PsAsync()).Models, m => m.Name == "random:latest");
    }

    [Fact]
    public async Task A_suffix_goes_to_a_model_whose_template_reads_it()
    {
        using var rendered = await PostOkAsync("/api/generate", """{"model":"successor-fim","prompt":"def f(","suffix":"return x","_debug_render_only":true}""");
        Assert.Equal("<PRE> def f( <SUF>return x <MID>", rendered.RootElement.GetProperty("_debug_info").GetProperty("rendered_template").GetString());

        using var generated = await PostOkAsync("/api/generate", """{"model":"successor-fim","prompt":"def f(","suffix":"return x","stream":false,"options":{"num_predict":2}}""");
        Assert.Equal(2, generated.RootElement.GetProperty("eval_count").GetInt32());

        using var completion = await PostOkAsync("/v1/completions", """{"model":"successor-fim","prompt":"def f(","suffix":"return x","max_tokens":2}""");
        Assert.Equal("length", completion.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Top_logprobs_at_the_limit_and_raw_without_extras_are_accepted()
    {
        using var generate = await PostOkAsync("/api/generate", """{"model":"successor","prompt":"a","raw":true,"stream":false,"logprobs":true,"top_logprobs":20,"options":{"num_predict":1}}""");
        Assert.Equal(20, generate.RootElement.GetProperty("logprobs")[0].GetProperty("top_logprobs").GetArrayLength());
        Assert.False(generate.RootElement.TryGetProperty("context", out _)); // raw answers carry no context

        using var chat = await PostOkAsync("/api/chat", $$$"""{"model":"successor-chat","messages":{{{Hi}}},"stream":false,"logprobs":true,"top_logprobs":0,"options":{"num_predict":1}}""");
        Assert.Equal(1, chat.RootElement.GetProperty("logprobs").GetArrayLength());
    }

    [Fact]
    public async Task An_embedding_model_is_unloaded_through_generate_and_chat()
    {
        // How `ollama stop` unloads any model: generate with no prompt and keep_alive 0, answered before the
        // check that the model can generate.
        foreach (var (path, body) in (ValueTuple<string, string>[])[
            ("/api/generate", """{"model":"embedder","keep_alive":0}"""),
            ("/api/chat", """{"model":"embedder","keep_alive":0}"""),
        ])
        {
            using (var embed = await PostOkAsync("/api/embed", """{"model":"embedder","input":"load me"}"""))
            {
                Assert.Contains((await fx.Client.PsAsync()).Models, m => m.Name == "embedder:latest");
            }

            using var unload = await PostOkAsync(path, body);
            Assert.Equal("unload", unload.RootElement.GetProperty("done_reason").GetString());
            Assert.DoesNotContain((await fx.Client.PsAsync()).Models, m => m.Name == "embedder:latest");
        }
    }

    [Fact]
    public async Task Embeddings_usage_has_no_completion_tokens_and_the_format_is_case_blind()
    {
        using var doc = await PostOkAsync("/v1/embeddings", """{"model":"embedder","input":"hello world","encoding_format":"BASE64"}""");
        var usage = doc.RootElement.GetProperty("usage");
        Assert.Equal(["prompt_tokens", "total_tokens"], usage.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("data")[0].GetProperty("embedding").ValueKind);
    }

    private async Task<JsonDocument> PostOkAsync(string path, string body)
    {
        using var response = await fx.Http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
