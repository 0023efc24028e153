using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Server.Tests.Inference;
using Corral.TestModels;

namespace Corral.Server.Tests.Anthropic;

/// <summary>/v1/messages tool use end to end: the tool-caller model generates a real call.</summary>
public sealed class AnthropicToolUseTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private const string Tools = """[{"name":"get_weather","description":"weather of a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""";
    private const string Ask = """[{"role":"user","content":"weather in Paris?"}]""";

    [Fact]
    public async Task Message_returns_a_tool_use_block_and_stop_reason_tool_use()
    {
        using var doc = await PostOkAsync($$"""{"model":"tool-caller","max_tokens":100,"tools":{{Tools}},"messages":{{Ask}}}""");
        var root = doc.RootElement;
        Assert.Equal("tool_use", root.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("stop_sequence").ValueKind);
        var block = Assert.Single(root.GetProperty("content").EnumerateArray());
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Matches("^toolu_[A-Za-z0-9]+$", block.GetProperty("id").GetString());
        Assert.Equal(ToolCallerModel.ToolName, block.GetProperty("name").GetString());
        Assert.Equal("direct", block.GetProperty("caller").GetProperty("type").GetString());
        var input = block.GetProperty("input");
        Assert.Equal(JsonValueKind.Object, input.ValueKind);
        Assert.Equal(ToolCallerModel.ArgumentValue, input.GetProperty(ToolCallerModel.ArgumentName).GetString());
        Assert.Equal(ToolCallerModel.ScriptTokenCount, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_sends_the_tool_use_block_with_an_input_json_delta()
    {
        var events = await PostSseAsync($$"""{"model":"tool-caller","max_tokens":100,"stream":true,"tools":{{Tools}},"messages":{{Ask}}}""");
        string[] expected = ["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"];
        Assert.Equal(expected, events.Select(e => e.Name));

        var start = events[2].Data;
        Assert.Equal(0, start.GetProperty("index").GetInt32());
        var block = start.GetProperty("content_block");
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Matches("^toolu_[A-Za-z0-9]+$", block.GetProperty("id").GetString());
        Assert.Equal(ToolCallerModel.ToolName, block.GetProperty("name").GetString());
        Assert.Equal("{}", block.GetProperty("input").GetRawText());

        var delta = events[3].Data;
        Assert.Equal(0, delta.GetProperty("index").GetInt32());
        Assert.Equal("input_json_delta", delta.GetProperty("delta").GetProperty("type").GetString());
        using var input = JsonDocument.Parse(delta.GetProperty("delta").GetProperty("partial_json").GetString()!);
        Assert.Equal(ToolCallerModel.ArgumentValue, input.RootElement.GetProperty(ToolCallerModel.ArgumentName).GetString());

        Assert.Equal(0, events[4].Data.GetProperty("index").GetInt32());
        Assert.Equal("tool_use", events[5].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Tool_result_is_answered_with_text()
    {
        using var first = await PostOkAsync($$"""{"model":"tool-caller","max_tokens":100,"tools":{{Tools}},"messages":{{Ask}}}""");
        var toolUse = first.RootElement.GetProperty("content")[0];
        var id = toolUse.GetProperty("id").GetString();
        var messages = $$"""
            [{"role":"user","content":"weather in Paris?"},
             {"role":"assistant","content":[{{toolUse.GetRawText()}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{id}}","content":"sunny, 24 C"}]}]
            """;
        using var second = await PostOkAsync($$"""{"model":"tool-caller","max_tokens":100,"tools":{{Tools}},"messages":{{messages}}}""");
        Assert.Equal("end_turn", second.RootElement.GetProperty("stop_reason").GetString());
        var block = Assert.Single(second.RootElement.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal(ToolCallerModel.AnswerAfterToolResult, block.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Tool_choice_none_answers_with_the_raw_text()
    {
        using var doc = await PostOkAsync($$"""{"model":"tool-caller","max_tokens":100,"tools":{{Tools}},"tool_choice":{"type":"none"},"messages":{{Ask}}}""");
        Assert.Equal("end_turn", doc.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal(ToolCallerModel.ScriptText, doc.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
    }

    private async Task<JsonDocument> PostOkAsync(string json)
    {
        using var response = await fx.Http.PostAsync("/v1/messages", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private async Task<List<(string Name, JsonElement Data)>> PostSseAsync(string json)
    {
        using var response = await fx.Http.PostAsync("/v1/messages", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var events = new List<(string, JsonElement)>();
        foreach (var raw in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = raw.Split('\n');
            events.Add((lines[0]["event: ".Length..], JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement));
        }

        return events;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
