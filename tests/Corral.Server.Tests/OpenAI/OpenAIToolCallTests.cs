using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Server.Tests.Inference;
using Corral.TestModels;

namespace Corral.Server.Tests.OpenAI;

/// <summary>/v1/chat/completions tool calls end to end: the tool-caller model generates a real call.</summary>
public sealed class OpenAIToolCallTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private const string Tools = """[{"type":"function","function":{"name":"get_weather","description":"weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";
    private const string Ask = """[{"role":"user","content":"weather in Paris?"}]""";

    [Theory]
    [InlineData("")]
    [InlineData(""","tool_choice":"auto" """)]
    [InlineData(""","tool_choice":"required" """)]
    [InlineData(""","tool_choice":{"type":"function","function":{"name":"get_weather"}} """)]
    public async Task Completion_returns_the_call_with_finish_reason_tool_calls(string toolChoice)
    {
        using var doc = await PostOkAsync("/v1/chat/completions", $$"""{"model":"tool-caller","tools":{{Tools}}{{toolChoice}},"messages":{{Ask}}}""");
        var choice = Assert.Single(doc.RootElement.GetProperty("choices").EnumerateArray());
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.Matches("^call_[A-Za-z0-9]+$", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal(ToolCallerModel.ToolName, call.GetProperty("function").GetProperty("name").GetString());
        var arguments = call.GetProperty("function").GetProperty("arguments");
        Assert.Equal(JsonValueKind.String, arguments.ValueKind); // OpenAI sends the arguments as a JSON string
        Assert.Equal(ToolCallerModel.ArgumentsJson, arguments.GetString());
        Assert.Equal(ToolCallerModel.ScriptTokenCount, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Tool_choice_none_leaves_the_call_as_text()
    {
        using var doc = await PostOkAsync("/v1/chat/completions", $$"""{"model":"tool-caller","tools":{{Tools}},"tool_choice":"none","messages":{{Ask}}}""");
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(ToolCallerModel.ScriptText, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public async Task Stream_sends_the_call_in_openais_delta_shape()
    {
        var events = await PostSseAsync("/v1/chat/completions", $$"""{"model":"tool-caller","stream":true,"tools":{{Tools}},"messages":{{Ask}}}""");
        var chunks = events.Take(events.Count - 1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var id = chunks[0].GetProperty("id").GetString();
        Assert.All(chunks, c => Assert.Equal(id, c.GetProperty("id").GetString()));
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));

        var deltas = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta")).ToList();
        Assert.Equal("assistant", deltas[0].GetProperty("role").GetString());
        var callDeltas = deltas.Where(d => d.TryGetProperty("tool_calls", out _)).Select(d => Assert.Single(d.GetProperty("tool_calls").EnumerateArray())).ToList();
        Assert.True(callDeltas.Count >= 2, "a header delta, then the arguments");

        // The header: index, id, type and the name, with empty arguments.
        var header = callDeltas[0];
        Assert.Equal(0, header.GetProperty("index").GetInt32());
        Assert.Matches("^call_[A-Za-z0-9]+$", header.GetProperty("id").GetString());
        Assert.Equal("function", header.GetProperty("type").GetString());
        Assert.Equal(ToolCallerModel.ToolName, header.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(string.Empty, header.GetProperty("function").GetProperty("arguments").GetString());

        // Then argument fragments only (same index, no id, no name) that add up to the arguments.
        foreach (var fragment in callDeltas.Skip(1))
        {
            Assert.Equal(0, fragment.GetProperty("index").GetInt32());
            Assert.False(fragment.TryGetProperty("id", out _));
            Assert.False(fragment.GetProperty("function").TryGetProperty("name", out _));
        }

        var arguments = string.Concat(callDeltas.Skip(1).Select(f => f.GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal(ToolCallerModel.ArgumentsJson, arguments);

        var finishes = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("finish_reason")).Where(f => f.ValueKind != JsonValueKind.Null).ToList();
        Assert.Equal("tool_calls", Assert.Single(finishes).GetString());
        Assert.Equal(string.Empty, string.Concat(deltas.Where(d => d.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String).Select(d => d.GetProperty("content").GetString())));
    }

    [Fact]
    public async Task Second_turn_with_the_tool_result_is_answered_with_text()
    {
        using var first = await PostOkAsync("/v1/chat/completions", $$"""{"model":"tool-caller","tools":{{Tools}},"messages":{{Ask}}}""");
        var assistant = first.RootElement.GetProperty("choices")[0].GetProperty("message");
        var callId = assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString();

        var messages = $$"""
            [{"role":"user","content":"weather in Paris?"},
             {{assistant.GetRawText()}},
             {"role":"tool","tool_call_id":"{{callId}}","content":"sunny, 24 C"}]
            """;
        using var second = await PostOkAsync("/v1/chat/completions", $$"""{"model":"tool-caller","tools":{{Tools}},"messages":{{messages}}}""");
        var choice = second.RootElement.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(ToolCallerModel.AnswerAfterToolResult, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
    }

    private async Task<JsonDocument> PostOkAsync(string path, string json)
    {
        using var response = await fx.Http.PostAsync(path, Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    /// <summary>The payloads of the <c>data:</c> events, ending with [DONE].</summary>
    private async Task<List<string>> PostSseAsync(string path, string json)
    {
        using var response = await fx.Http.PostAsync(path, Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.EndsWith("data: [DONE]\n\n", body);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        return events.Select(e => e["data: ".Length..]).ToList();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
