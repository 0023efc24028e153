using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Server.Tests.Inference;
using Corral.TestModels;

namespace Corral.Server.Tests.OpenAI;

/// <summary>POST /v1/responses end to end with raw HTTP: real server, real runner, generated models.</summary>
public sealed class ResponsesEndpointTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private static readonly string[] Colours = ["red", "green"];

    [Fact]
    public async Task String_input_answers_with_one_message_usage_and_the_echoed_settings()
    {
        using var doc = await PostOkAsync("""{"model":"successor-chat","temperature":0,"input":"hi","store":true,"metadata":{"k":"v"}}""");
        var root = doc.RootElement;
        Assert.Matches("^resp_[0-9a-f]{24}$", root.GetProperty("id").GetString());
        Assert.Equal("response", root.GetProperty("object").GetString());
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal("successor-chat", root.GetProperty("model").GetString());
        Assert.InRange(root.GetProperty("created_at").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.True(root.GetProperty("completed_at").GetInt64() >= root.GetProperty("created_at").GetInt64());

        var item = Assert.Single(root.GetProperty("output").EnumerateArray());
        Assert.Equal("message", item.GetProperty("type").GetString());
        Assert.StartsWith("msg_", item.GetProperty("id").GetString());
        Assert.Equal("completed", item.GetProperty("status").GetString());
        Assert.Equal("assistant", item.GetProperty("role").GetString());
        var part = Assert.Single(item.GetProperty("content").EnumerateArray());
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.Equal(SuccessorModel.Alphabet, part.GetProperty("text").GetString());
        Assert.Equal(0, part.GetProperty("annotations").GetArrayLength());

        var usage = root.GetProperty("usage");
        Assert.Equal(26, usage.GetProperty("output_tokens").GetInt32());
        Assert.True(usage.GetProperty("input_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + 26, usage.GetProperty("total_tokens").GetInt32());
        Assert.True(usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32() >= 0);

        // Echoed settings, and the fields OpenAI always writes.
        Assert.True(root.GetProperty("store").GetBoolean()); // kept, as asked (see StoredResponsesTests)
        Assert.Equal("v", root.GetProperty("metadata").GetProperty("k").GetString());
        Assert.Equal("auto", root.GetProperty("tool_choice").GetString());
        Assert.Equal(0, root.GetProperty("tools").GetArrayLength());
        Assert.Equal("text", root.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
        Assert.Equal(0, root.GetProperty("temperature").GetSingle());
        Assert.True(root.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("disabled", root.GetProperty("truncation").GetString());
        foreach (var name in new[] { "error", "incomplete_details", "previous_response_id", "instructions", "max_output_tokens", "reasoning" })
        {
            Assert.Equal(JsonValueKind.Null, root.GetProperty(name).ValueKind);
        }
    }

    [Fact]
    public async Task Item_input_with_instructions_becomes_the_conversation()
    {
        const string Items = """
            [{"role":"developer","content":"answer in letters"},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"abc","annotations":[]}]},
             {"type":"reasoning","summary":[{"type":"summary_text","text":"thought"}]},
             {"type":"function_call","call_id":"call_1","name":"lookup","arguments":"{\"q\":\"x\"}"},
             {"type":"function_call_output","call_id":"call_1","output":"found"},
             {"role":"user","content":"again"}]
            """;
        using var plain = await PostOkAsync($$"""{"model":"successor-chat","temperature":0,"input":{{Items}}}""");
        using var instructed = await PostOkAsync($$"""{"model":"successor-chat","temperature":0,"instructions":"You are a careful assistant who always answers with the whole alphabet.","input":{{Items}}}""");
        Assert.Equal(SuccessorModel.Alphabet, OutputText(plain.RootElement));
        Assert.Equal(SuccessorModel.Alphabet, OutputText(instructed.RootElement));
        Assert.Equal("You are a careful assistant who always answers with the whole alphabet.", instructed.RootElement.GetProperty("instructions").GetString());

        // The instructions are a system message in the prompt (replacing the Modelfile's shorter "be brief").
        var plainTokens = plain.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        var instructedTokens = instructed.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        Assert.True(instructedTokens > plainTokens + 20, $"{instructedTokens} vs {plainTokens}");
    }

    [Fact]
    public async Task Max_output_tokens_ends_the_response_incomplete()
    {
        using var doc = await PostOkAsync("""{"model":"successor-chat","temperature":0,"max_output_tokens":5,"input":"hi"}""");
        var root = doc.RootElement;
        Assert.Equal("incomplete", root.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", root.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(5, root.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal("abcde", OutputText(root));
        Assert.Equal("incomplete", root.GetProperty("output")[0].GetProperty("status").GetString());
        Assert.Equal(5, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Json_schema_text_format_constrains_the_output()
    {
        const string Schema = """{"type":"object","properties":{"colour":{"type":"string","enum":["red","green"]},"count":{"type":"integer"}},"required":["colour","count"],"additionalProperties":false}""";
        using var doc = await PostOkAsync($$$"""{"model":"random","seed":3,"max_output_tokens":200,"text":{"format":{"type":"json_schema","name":"thing","strict":true,"schema":{{{Schema}}}}},"input":"go"}""");
        var root = doc.RootElement;
        using var answer = JsonDocument.Parse(OutputText(root));
        Assert.Contains(answer.RootElement.GetProperty("colour").GetString(), Colours);
        Assert.Equal(JsonValueKind.Number, answer.RootElement.GetProperty("count").ValueKind);
        var format = root.GetProperty("text").GetProperty("format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("thing", format.GetProperty("name").GetString());

        using var obj = await PostOkAsync("""{"model":"random","seed":5,"max_output_tokens":80,"text":{"format":{"type":"json_object"}},"input":"json please"}""");
        if (obj.RootElement.GetProperty("status").GetString() == "completed")
        {
            using var parsed = JsonDocument.Parse(OutputText(obj.RootElement));
            Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        }
        else
        {
            Assert.StartsWith("{", OutputText(obj.RootElement));
        }
    }

    [Fact]
    public async Task Streaming_sends_the_event_sequence_with_increasing_sequence_numbers()
    {
        var events = await PostSseAsync("""{"model":"successor-chat","temperature":0,"stream":true,"input":"hi"}""");
        var types = events.Select(e => e.Name).ToList();
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"], types[..4]);
        Assert.Equal(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"], types[^4..]);
        Assert.All(types[4..^4], t => Assert.Equal("response.output_text.delta", t));
        Assert.Equal(26, types.Count(t => t == "response.output_text.delta"));

        var numbers = events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);

        var deltas = string.Concat(events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        Assert.Equal(SuccessorModel.Alphabet, deltas);
        Assert.Equal(deltas, events[^4].Data.GetProperty("text").GetString());
        var final = events[^1].Data.GetProperty("response");
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.Equal(deltas, OutputText(final));
        Assert.Equal(26, final.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(events[0].Data.GetProperty("response").GetProperty("id").GetString(), final.GetProperty("id").GetString());
        var itemId = events[2].Data.GetProperty("item").GetProperty("id").GetString();
        Assert.All(events[3..^1], e => Assert.Equal(itemId, e.Name == "response.output_item.done" ? e.Data.GetProperty("item").GetProperty("id").GetString() : e.Data.GetProperty("item_id").GetString()));
    }

    [Fact]
    public async Task Streaming_with_max_output_tokens_ends_with_response_incomplete()
    {
        var events = await PostSseAsync("""{"model":"successor-chat","temperature":0,"stream":true,"max_output_tokens":3,"input":"hi"}""");
        Assert.Equal("response.incomplete", events[^1].Name);
        var final = events[^1].Data.GetProperty("response");
        Assert.Equal("incomplete", final.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", final.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal("abc", OutputText(final));
    }

    [Fact]
    public async Task Tool_choice_none_drops_the_tools_so_a_model_without_tool_support_still_answers()
    {
        const string Tools = """[{"type":"function","name":"lookup","description":"finds things","parameters":{"type":"object","properties":{"q":{"type":"string"}}},"strict":false}]""";
        using var refused = await fx.Http.PostAsync("/v1/responses", Json($$"""{"model":"successor-chat","temperature":0,"input":"hi","tools":{{Tools}}}"""));
        await AssertOpenAIErrorAsync(refused, HttpStatusCode.BadRequest, "does not support tools");

        using var doc = await PostOkAsync($$"""{"model":"successor-chat","temperature":0,"input":"hi","tool_choice":"none","tools":{{Tools}}}""");
        Assert.Equal(SuccessorModel.Alphabet, OutputText(doc.RootElement));
        var echoed = Assert.Single(doc.RootElement.GetProperty("tools").EnumerateArray());
        Assert.Equal("lookup", echoed.GetProperty("name").GetString());
        Assert.Equal("none", doc.RootElement.GetProperty("tool_choice").GetString());
    }

    [Fact]
    public async Task An_unknown_previous_response_id_is_a_client_error()
    {
        using var response = await fx.Http.PostAsync("/v1/responses", Json("""{"model":"successor-chat","input":"hi","previous_response_id":"resp_123"}"""));
        await AssertOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "Previous response with id 'resp_123' not found.");
    }

    [Theory]
    [InlineData("""{"model":"successor-chat","input":42}""", "input")]
    [InlineData("""{"model":"successor-chat"}""", "input is required")]
    [InlineData("""{"model":"successor-chat","input":[]}""", "must not be empty")]
    [InlineData("""{"model":"successor-chat","input":[{"type":"computer_call"}]}""", "computer_call")]
    [InlineData("""{"model":"successor-chat","input":[{"role":"tool","content":"x"}]}""", "role")]
    [InlineData("""{"model":"successor-chat","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}""", "file")]
    [InlineData("""{"model":"successor-chat","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"not json"}]}""", "arguments")]
    [InlineData("""{"model":"successor-chat","input":"hi","tools":[{"type":"web_search"}]}""", "web_search")]
    [InlineData("""{"model":"successor-chat","input":"hi","text":{"format":{"type":"yaml"}}}""", "yaml")]
    [InlineData("""{"model":"successor-chat","input":"hi","reasoning":{"effort":"extreme"}}""", "reasoning")]
    [InlineData("""{"model":"successor-chat","input":"hi","reasoning":{"effort":"high"}}""", "thinking")]
    [InlineData("""{"model":"successor-chat","input":"hi","truncation":"sometimes"}""", "truncation")]
    [InlineData("""{"model":"embedder","input":"hi"}""", "does not support chat")]
    public async Task Bad_requests_are_400_in_openai_shape(string body, string messagePart)
    {
        using var response = await fx.Http.PostAsync("/v1/responses", Json(body));
        await AssertOpenAIErrorAsync(response, HttpStatusCode.BadRequest, messagePart);
    }

    [Fact]
    public async Task Unknown_model_is_404_model_not_found()
    {
        using var response = await fx.Http.PostAsync("/v1/responses", Json("""{"model":"nope","input":"hi"}"""));
        var body = await AssertOpenAIErrorAsync(response, HttpStatusCode.NotFound, "nope");
        Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
    }

    private static string OutputText(JsonElement response) => string.Concat(
        response.GetProperty("output").EnumerateArray()
            .Where(o => o.GetProperty("type").GetString() == "message")
            .SelectMany(o => o.GetProperty("content").EnumerateArray())
            .Select(c => c.GetProperty("text").GetString()));

    private async Task<JsonDocument> PostOkAsync(string json)
    {
        using var response = await fx.Http.PostAsync("/v1/responses", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }

    /// <summary>The <c>event:</c> / <c>data:</c> pairs, checking that each event's name is its payload's type.</summary>
    private async Task<List<(string Name, JsonElement Data)>> PostSseAsync(string json)
    {
        using var response = await fx.Http.PostAsync("/v1/responses", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("[DONE]", body);
        var events = new List<(string, JsonElement)>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var name = lines[0]["event: ".Length..];
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement;
            Assert.Equal(name, data.GetProperty("type").GetString());
            events.Add((name, data));
        }

        return events;
    }

    private static async Task<JsonElement> AssertOpenAIErrorAsync(HttpResponseMessage response, HttpStatusCode status, string messagePart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        var root = JsonDocument.Parse(body).RootElement;
        var error = root.GetProperty("error");
        Assert.Equal(status == HttpStatusCode.NotFound ? "not_found_error" : "invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        return root;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
