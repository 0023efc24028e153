using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Server.Tests.Inference;
using Corral.TestModels;

namespace Corral.Server.Tests.OpenAI;

/// <summary>/v1 end to end with raw HTTP: real server, real runner, generated models.</summary>
public sealed class OpenAIEndpointTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    [Fact]
    public async Task Chat_completion_answers_with_usage_and_finish_reason()
    {
        using var doc = await PostOkAsync("/v1/chat/completions", """{"model":"successor-chat","temperature":0,"messages":[{"role":"user","content":"hi"}]}""");
        var root = doc.RootElement;
        Assert.StartsWith("chatcmpl-", root.GetProperty("id").GetString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal("successor-chat", root.GetProperty("model").GetString());
        Assert.Equal("fp_ollama", root.GetProperty("system_fingerprint").GetString());
        Assert.InRange(root.GetProperty("created").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        var choice = root.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(SuccessorModel.Alphabet, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = root.GetProperty("usage");
        Assert.Equal(26, usage.GetProperty("completion_tokens").GetInt32());
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 26, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_max_tokens_and_stop_shape_the_answer()
    {
        using var limited = await PostOkAsync("/v1/chat/completions", """{"model":"successor-chat","temperature":0,"max_tokens":3,"messages":[{"role":"user","content":"hi"}]}""");
        var choice = limited.RootElement.GetProperty("choices")[0];
        Assert.Equal("abc", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());

        using var newer = await PostOkAsync("/v1/chat/completions", """{"model":"successor-chat","temperature":0,"max_completion_tokens":2,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal("ab", newer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());

        using var stopped = await PostOkAsync("/v1/chat/completions", """{"model":"successor-chat","temperature":0,"stop":["fg","xyz"],"messages":[{"role":"user","content":"hi"}]}""");
        var stop = stopped.RootElement.GetProperty("choices")[0];
        Assert.Equal("abcde", stop.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", stop.GetProperty("finish_reason").GetString());

        using var single = await PostOkAsync("/v1/chat/completions", """{"model":"successor-chat","temperature":0,"stop":"d","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal("abc", single.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Chat_streams_server_sent_events_ending_in_done_with_usage()
    {
        var events = await PostSseAsync("/v1/chat/completions", """{"model":"successor-chat","temperature":0,"max_tokens":5,"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());

        var withChoices = chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0).ToList();
        var text = string.Concat(withChoices.Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : ""));
        Assert.Equal("abcde", text);
        Assert.True(withChoices.Count >= 6, "each token is its own event");
        var finishes = withChoices.Select(c => c.GetProperty("choices")[0].GetProperty("finish_reason")).Where(f => f.ValueKind != JsonValueKind.Null).ToList();
        Assert.Equal("length", Assert.Single(finishes).GetString());

        // The usage chunk comes last, with no choices.
        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(5, usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.False(chunks[^2].TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task Chat_stream_without_usage_option_has_no_usage_chunk()
    {
        var events = await PostSseAsync("/v1/chat/completions", """{"model":"successor-chat","temperature":0,"max_tokens":2,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal("[DONE]", events[^1]);
        Assert.All(events[..^1], e => Assert.DoesNotContain("\"usage\"", e));
    }

    [Fact]
    public async Task Chat_json_object_and_json_schema_give_parseable_json()
    {
        using var obj = await PostOkAsync("/v1/chat/completions", """{"model":"random","max_tokens":60,"seed":7,"response_format":{"type":"json_object"},"messages":[{"role":"user","content":"json please"}]}""");
        var text = obj.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        if (obj.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString() == "stop")
        {
            using var parsed = JsonDocument.Parse(text);
            Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        }
        else
        {
            Assert.StartsWith("{", text.TrimStart());
        }

        const string Schema = """{"type":"object","properties":{"ok":{"type":"boolean"},"n":{"type":"integer"}},"required":["ok","n"],"additionalProperties":false}""";
        using var schema = await PostOkAsync("/v1/chat/completions", $$$"""{"model":"random","max_tokens":200,"seed":3,"response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{{{Schema}}}}},"messages":[{"role":"user","content":"go"}]}""");
        var answer = schema.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        using var value = JsonDocument.Parse(answer);
        Assert.Contains(value.RootElement.GetProperty("ok").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Equal(JsonValueKind.Number, value.RootElement.GetProperty("n").ValueKind);
    }

    [Fact]
    public async Task Chat_with_n_returns_n_choices()
    {
        using var doc = await PostOkAsync("/v1/chat/completions", """{"model":"successor-chat","temperature":0,"n":3,"max_tokens":4,"messages":[{"role":"user","content":"hi"}]}""");
        var choices = doc.RootElement.GetProperty("choices");
        Assert.Equal(3, choices.GetArrayLength());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, choices[i].GetProperty("index").GetInt32());
            Assert.Equal("abcd", choices[i].GetProperty("message").GetProperty("content").GetString());
        }

        Assert.Equal(12, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_logprobs_come_back_per_token()
    {
        using var doc = await PostOkAsync("/v1/chat/completions", """{"model":"successor-chat","temperature":0,"max_tokens":3,"logprobs":true,"top_logprobs":2,"messages":[{"role":"user","content":"hi"}]}""");
        var content = doc.RootElement.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content");
        Assert.Equal(3, content.GetArrayLength());
        Assert.Equal("a", content[0].GetProperty("token").GetString());
        Assert.True(content[0].GetProperty("logprob").GetDouble() <= 0);
        Assert.Equal(2, content[0].GetProperty("top_logprobs").GetArrayLength());
    }

    [Fact]
    public async Task Completions_uses_the_template_and_supports_prompt_arrays_echo_and_stop()
    {
        using var doc = await PostOkAsync("/v1/completions", """{"model":"successor","temperature":0,"prompt":["a","k"],"max_tokens":3}""");
        var root = doc.RootElement;
        Assert.Equal("text_completion", root.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", root.GetProperty("id").GetString());
        var choices = root.GetProperty("choices");
        Assert.Equal(2, choices.GetArrayLength());
        Assert.Equal("bcd", choices[0].GetProperty("text").GetString());
        Assert.Equal("lmn", choices[1].GetProperty("text").GetString());
        Assert.Equal("length", choices[1].GetProperty("finish_reason").GetString());
        Assert.Equal(6, root.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        using var echoed = await PostOkAsync("/v1/completions", """{"model":"successor","temperature":0,"prompt":"q","echo":true,"stop":["u"]}""");
        var choice = echoed.RootElement.GetProperty("choices")[0];
        Assert.Equal("qrst", choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Completions_stream_as_server_sent_events()
    {
        var events = await PostSseAsync("/v1/completions", """{"model":"successor","temperature":0,"prompt":"a","max_tokens":4,"stream":true,"stream_options":{"include_usage":true}}""");
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0).Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal("bcde", text);
        Assert.Equal(4, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Embeddings_come_as_floats_or_little_endian_base64()
    {
        using var floats = await PostOkAsync("/v1/embeddings", """{"model":"embedder","input":["hello world","other text"]}""");
        var data = floats.RootElement.GetProperty("data");
        Assert.Equal("list", floats.RootElement.GetProperty("object").GetString());
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal(1, data[1].GetProperty("index").GetInt32());
        Assert.Equal("embedding", data[0].GetProperty("object").GetString());
        var vector = data[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.True(floats.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);

        using var encoded = await PostOkAsync("/v1/embeddings", """{"model":"embedder","input":"hello world","encoding_format":"base64"}""");
        var bytes = Convert.FromBase64String(encoded.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = new float[bytes.Length / 4];
        for (var i = 0; i < decoded.Length; i++)
        {
            decoded[i] = BitConverter.ToSingle(bytes, i * 4);
        }

        Assert.Equal(vector.Length, decoded.Length);
        for (var i = 0; i < vector.Length; i++)
        {
            Assert.Equal(vector[i], decoded[i], 5);
        }

        using var shortened = await PostOkAsync("/v1/embeddings", """{"model":"embedder","input":"hello world","dimensions":4}""");
        var shortVector = shortened.RootElement.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(4, shortVector.Length);
        Assert.Equal(1.0, Math.Sqrt(shortVector.Sum(v => v * v)), 3);
    }

    [Fact]
    public async Task Embeddings_reject_token_input_in_openai_error_shape()
    {
        using var response = await fx.Http.PostAsync("/v1/embeddings", Json("""{"model":"embedder","input":[1,2,3]}"""));
        await AssertOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "invalid input type");
    }

    [Fact]
    public async Task Models_are_listed_and_fetched_by_name()
    {
        using var list = await GetOkAsync("/v1/models");
        Assert.Equal("list", list.RootElement.GetProperty("object").GetString());
        var ids = list.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("successor:latest", ids);
        Assert.Contains("embedder:latest", ids);
        var first = list.RootElement.GetProperty("data")[0];
        Assert.Equal("model", first.GetProperty("object").GetString());
        Assert.Equal("library", first.GetProperty("owned_by").GetString());
        Assert.True(first.GetProperty("created").GetInt64() > 1_600_000_000);

        using var one = await GetOkAsync("/v1/models/successor");
        Assert.Equal("successor", one.RootElement.GetProperty("id").GetString());
        Assert.Equal("library", one.RootElement.GetProperty("owned_by").GetString());

        using var missing = await fx.Http.GetAsync("/v1/models/nothing-here");
        await AssertOpenAIErrorAsync(missing, HttpStatusCode.NotFound, "not_found_error", "model 'nothing-here:latest' not found");
    }

    [Fact]
    public async Task Errors_use_openai_shape_and_status()
    {
        using var missing = await fx.Http.PostAsync("/v1/chat/completions", Json("""{"model":"nope","messages":[{"role":"user","content":"hi"}]}"""));
        await AssertOpenAIErrorAsync(missing, HttpStatusCode.NotFound, "not_found_error", "nope");

        using var malformed = await fx.Http.PostAsync("/v1/chat/completions", Json("""{"model":"successor-chat","messages":"""));
        await AssertOpenAIErrorAsync(malformed, HttpStatusCode.BadRequest, "invalid_request_error", "JSON");

        using var badFormat = await fx.Http.PostAsync("/v1/chat/completions", Json("""{"model":"successor-chat","response_format":{"type":"yaml"},"messages":[{"role":"user","content":"hi"}]}"""));
        await AssertOpenAIErrorAsync(badFormat, HttpStatusCode.BadRequest, "invalid_request_error", "yaml");

        using var embedChat = await fx.Http.PostAsync("/v1/chat/completions", Json("""{"model":"embedder","messages":[{"role":"user","content":"hi"}]}"""));
        await AssertOpenAIErrorAsync(embedChat, HttpStatusCode.BadRequest, "invalid_request_error", "does not support chat");

        using var badBias = await fx.Http.PostAsync("/v1/chat/completions", Json("""{"model":"successor-chat","logit_bias":{"abc":1},"messages":[{"role":"user","content":"hi"}]}"""));
        await AssertOpenAIErrorAsync(badBias, HttpStatusCode.BadRequest, "invalid_request_error", "logit_bias");
    }

    [Fact]
    public async Task Logit_bias_bans_a_token()
    {
        // Find the token id of the first answer token, then ban it: the answer must change.
        using var first = await PostOkAsync("/v1/completions", """{"model":"successor","temperature":0,"prompt":"a","max_tokens":1}""");
        Assert.Equal("b", first.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
        using var tokenize = await fx.Http.PostAsync("/api/generate", Json("""{"model":"successor","prompt":"a","stream":false,"options":{"num_predict":1,"temperature":0}}"""));
        using var generated = JsonDocument.Parse(await tokenize.Content.ReadAsStringAsync());
        var context = generated.RootElement.GetProperty("context").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var tokenB = context[^1]; // the context ends with the generated token "b"

        using var banned = await PostOkAsync("/v1/completions", $$$"""{"model":"successor","temperature":0,"prompt":"a","max_tokens":1,"logit_bias":{"{{{tokenB}}}":-100}}""");
        Assert.NotEqual("b", banned.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    private async Task<JsonDocument> PostOkAsync(string path, string json)
    {
        using var response = await fx.Http.PostAsync(path, Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }

    private async Task<JsonDocument> GetOkAsync(string path)
    {
        using var response = await fx.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    /// <summary>The payloads of the <c>data:</c> events, checking the framing on the way.</summary>
    private async Task<List<string>> PostSseAsync(string path, string json)
    {
        using var response = await fx.Http.PostAsync(path, Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("data: [DONE]\n\n", body);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        Assert.All(events, e => Assert.DoesNotContain('\n', e));
        return events.Select(e => e["data: ".Length..]).ToList();
    }

    private static async Task AssertOpenAIErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string messagePart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(JsonValueKind.Object, error.ValueKind);
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.True(error.TryGetProperty("code", out _));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
