using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Server.Tests.Inference;
using Corral.TestModels;

namespace Corral.Server.Tests.Anthropic;

/// <summary>/v1/messages end to end with raw HTTP: real server, real runner, generated models.</summary>
public sealed class AnthropicMessagesTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    [Fact]
    public async Task Message_answers_with_a_text_block_usage_and_end_turn()
    {
        using var doc = await PostOkAsync("/v1/messages", """{"model":"successor-chat","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}""");
        var root = doc.RootElement;
        Assert.Matches("^msg_[A-Za-z0-9]{24}$", root.GetProperty("id").GetString());
        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.Equal("assistant", root.GetProperty("role").GetString());
        Assert.Equal("successor-chat", root.GetProperty("model").GetString());
        var block = Assert.Single(root.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal(SuccessorModel.Alphabet, block.GetProperty("text").GetString());
        Assert.Equal("end_turn", root.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("stop_sequence").ValueKind);
        Assert.Equal(26, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.True(root.GetProperty("usage").GetProperty("input_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Max_tokens_and_stop_sequences_shape_the_answer()
    {
        using var limited = await PostOkAsync("/v1/messages", """{"model":"successor-chat","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal("abcde", limited.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("max_tokens", limited.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal(5, limited.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32());

        using var stopped = await PostOkAsync("/v1/messages", """{"model":"successor-chat","max_tokens":100,"stop_sequences":["fg","xyz"],"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}""");
        Assert.Equal("abcde", stopped.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("stop_sequence", stopped.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal("fg", stopped.RootElement.GetProperty("stop_sequence").GetString());

        // A stop sequence that never matches: the end-of-turn token ends the answer.
        using var unmatched = await PostOkAsync("/v1/messages", """{"model":"successor-chat","max_tokens":100,"stop_sequences":["never"],"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal("end_turn", unmatched.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, unmatched.RootElement.GetProperty("stop_sequence").ValueKind);
    }

    [Fact]
    public async Task Streamed_stop_sequence_is_reported_in_message_delta()
    {
        var events = await PostSseAsync("/v1/messages", """{"model":"successor-chat","max_tokens":100,"stream":true,"stop_sequences":["fgh"],"messages":[{"role":"user","content":"hi"}]}""");
        var text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => e.Data.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("abcde", text);
        var delta = events.Single(e => e.Name == "message_delta").Data.GetProperty("delta");
        Assert.Equal("stop_sequence", delta.GetProperty("stop_reason").GetString());
        Assert.Equal("fgh", delta.GetProperty("stop_sequence").GetString());
    }

    [Fact]
    public async Task Stream_follows_anthropics_event_sequence()
    {
        var events = await PostSseAsync("/v1/messages", """{"model":"successor-chat","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        string[] expected =
        [
            "message_start", "ping", "content_block_start",
            "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
            "content_block_stop", "message_delta", "message_stop",
        ];
        Assert.Equal(expected, events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));

        var message = events[0].Data.GetProperty("message");
        Assert.StartsWith("msg_", message.GetProperty("id").GetString());
        Assert.Equal(0, message.GetProperty("content").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("stop_reason").ValueKind);

        var start = events[2].Data;
        Assert.Equal(0, start.GetProperty("index").GetInt32());
        Assert.Equal("text", start.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal(string.Empty, start.GetProperty("content_block").GetProperty("text").GetString());

        var deltas = events.Where(e => e.Name == "content_block_delta").Select(e => e.Data).ToList();
        Assert.All(deltas, d => Assert.Equal("text_delta", d.GetProperty("delta").GetProperty("type").GetString()));
        Assert.All(deltas, d => Assert.Equal(0, d.GetProperty("index").GetInt32()));
        Assert.Equal("abcde", string.Concat(deltas.Select(d => d.GetProperty("delta").GetProperty("text").GetString())));
        Assert.Equal(0, events[8].Data.GetProperty("index").GetInt32());

        var end = events[9].Data;
        Assert.Equal("max_tokens", end.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(5, end.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.True(end.GetProperty("usage").GetProperty("input_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task System_prompt_reaches_the_template_like_a_native_system_message()
    {
        // The prompt /v1/messages ran (evaluated + reused from cache) is the one count_tokens renders.
        using var anthropic = await PostOkAsync("/v1/messages", """{"model":"successor-chat","max_tokens":3,"system":[{"type":"text","text":"one two three four five six"}],"messages":[{"role":"user","content":"hi"}]}""");
        var usage = anthropic.RootElement.GetProperty("usage");
        var anthropicInput = usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("cache_read_input_tokens").GetInt32();
        using var counted = await PostOkAsync("/v1/messages/count_tokens", """{"model":"successor-chat","system":"one two three four five six","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(anthropicInput, counted.RootElement.GetProperty("input_tokens").GetInt32());

        // Without a system field the Modelfile's SYSTEM ("be brief") is used: a shorter prompt.
        using var modelSystem = await PostOkAsync("/v1/messages/count_tokens", """{"model":"successor-chat","messages":[{"role":"user","content":"hi"}]}""");
        Assert.True(modelSystem.RootElement.GetProperty("input_tokens").GetInt32() < anthropicInput);

        // A system field with the Modelfile's own text renders exactly what the Modelfile SYSTEM renders.
        using var sameSystem = await PostOkAsync("/v1/messages/count_tokens", """{"model":"successor-chat","system":"be brief","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(modelSystem.RootElement.GetProperty("input_tokens").GetInt32(), sameSystem.RootElement.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Tool_choice_none_drops_the_tools_a_model_cannot_use()
    {
        const string Tool = """{"name":"get_weather","description":"weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}""";
        using var refused = await fx.Http.PostAsync("/v1/messages", Json($$"""{"model":"successor-chat","max_tokens":5,"tools":[{{Tool}}],"messages":[{"role":"user","content":"hi"}]}"""));
        await AssertAnthropicErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_request_error", "tools");

        using var none = await PostOkAsync("/v1/messages", $$"""{"model":"successor-chat","max_tokens":5,"tools":[{{Tool}}],"tool_choice":{"type":"none"},"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal("abcde", none.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Tool_use_history_with_tool_results_is_accepted()
    {
        using var doc = await PostOkAsync("/v1/messages", """
            {"model":"successor-chat","max_tokens":4,"messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","content":[{"type":"text","text":"checking"},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny"}]},{"type":"text","text":"thanks"}]}
            ]}
            """);
        Assert.Equal("abcd", doc.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Errors_use_anthropics_shape_and_status()
    {
        using var missing = await fx.Http.PostAsync("/v1/messages", Json("""{"model":"nope","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"""));
        await AssertAnthropicErrorAsync(missing, HttpStatusCode.NotFound, "not_found_error", "nope");

        using var noMax = await fx.Http.PostAsync("/v1/messages", Json("""{"model":"successor-chat","messages":[{"role":"user","content":"hi"}]}"""));
        await AssertAnthropicErrorAsync(noMax, HttpStatusCode.BadRequest, "invalid_request_error", "max_tokens");

        using var malformed = await fx.Http.PostAsync("/v1/messages", Json("""{"model":"successor-chat","messages":"""));
        await AssertAnthropicErrorAsync(malformed, HttpStatusCode.BadRequest, "invalid_request_error", "JSON");

        using var badRole = await fx.Http.PostAsync("/v1/messages", Json("""{"model":"successor-chat","max_tokens":5,"messages":[{"role":"system","content":"hi"}]}"""));
        await AssertAnthropicErrorAsync(badRole, HttpStatusCode.BadRequest, "invalid_request_error", "role");

        using var badImage = await fx.Http.PostAsync("/v1/messages", Json("""{"model":"successor-chat","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"http://example.com/a.png"}}]}]}"""));
        await AssertAnthropicErrorAsync(badImage, HttpStatusCode.BadRequest, "invalid_request_error", "base64");

        using var embedder = await fx.Http.PostAsync("/v1/messages/count_tokens", Json("""{"model":"embedder","messages":[{"role":"user","content":"hi"}]}"""));
        await AssertAnthropicErrorAsync(embedder, HttpStatusCode.BadRequest, "invalid_request_error", "does not support chat");
    }

    [Fact]
    public async Task Api_key_and_version_headers_are_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json("""{"model":"successor-chat","max_tokens":2,"messages":[{"role":"user","content":"hi"}]}""") };
        request.Headers.Add("x-api-key", "sk-ant-anything");
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await fx.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonDocument> PostOkAsync(string path, string json)
    {
        using var response = await fx.Http.PostAsync(path, Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }

    /// <summary>The events of an SSE body, checking the framing (<c>event:</c> line, one <c>data:</c> line) on the way.</summary>
    private async Task<List<(string Name, JsonElement Data)>> PostSseAsync(string path, string json)
    {
        using var response = await fx.Http.PostAsync(path, Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string, JsonElement)>();
        foreach (var raw in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = raw.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            events.Add((lines[0]["event: ".Length..], JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement));
        }

        return events;
    }

    private static async Task AssertAnthropicErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string messagePart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
