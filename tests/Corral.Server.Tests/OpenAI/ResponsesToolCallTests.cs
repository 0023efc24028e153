using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Server.Tests.Inference;
using Corral.TestModels;

namespace Corral.Server.Tests.OpenAI;

/// <summary>/v1/responses function calls end to end: the tool-caller model really calls get_weather.</summary>
public sealed class ResponsesToolCallTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private const string Tools = """[{"type":"function","name":"get_weather","description":"weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}]""";

    [Fact]
    public async Task A_call_is_a_function_call_item_and_its_output_gets_the_answer()
    {
        using var first = await PostOkAsync($$"""{"model":"tool-caller","temperature":0,"tools":{{Tools}},"input":"weather in Paris?"}""");
        var root = first.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        var call = Assert.Single(root.GetProperty("output").EnumerateArray());
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.Equal("completed", call.GetProperty("status").GetString());
        Assert.StartsWith("fc_", call.GetProperty("id").GetString());
        Assert.Matches("^call_[a-z0-9]{8}$", call.GetProperty("call_id").GetString());
        Assert.Equal(ToolCallerModel.ToolName, call.GetProperty("name").GetString());
        Assert.Equal(ToolCallerModel.ArgumentsJson, call.GetProperty("arguments").GetString());
        Assert.Equal(ToolCallerModel.ScriptTokenCount, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal("get_weather", root.GetProperty("tools")[0].GetProperty("name").GetString());

        // Second turn, stateless: the call goes back as an item, with its output.
        var callJson = call.GetRawText();
        var callId = call.GetProperty("call_id").GetString();
        using var second = await PostOkAsync($$"""
            {"model":"tool-caller","temperature":0,"tools":{{Tools}},"input":[
              {"role":"user","content":"weather in Paris?"},
              {{callJson}},
              {"type":"function_call_output","call_id":"{{callId}}","output":"sunny, 24 C"}]}
            """);
        var message = Assert.Single(second.RootElement.GetProperty("output").EnumerateArray());
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal(ToolCallerModel.AnswerAfterToolResult, message.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_streamed_call_sends_the_item_and_arguments_events()
    {
        using var response = await fx.Http.PostAsync("/v1/responses", Json($$"""{"model":"tool-caller","temperature":0,"stream":true,"tools":{{Tools}},"input":"weather in Paris?"}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(b => JsonDocument.Parse(b.Split('\n')[1]["data: ".Length..]).RootElement)
            .ToList();
        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));

        var added = events[2].GetProperty("item");
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal("in_progress", added.GetProperty("status").GetString());
        Assert.Equal(string.Empty, added.GetProperty("arguments").GetString());
        Assert.Equal(ToolCallerModel.ToolName, added.GetProperty("name").GetString());
        var itemId = added.GetProperty("id").GetString();
        Assert.Equal(itemId, events[3].GetProperty("item_id").GetString());
        Assert.Equal(ToolCallerModel.ArgumentsJson, events[3].GetProperty("delta").GetString());
        Assert.Equal(ToolCallerModel.ArgumentsJson, events[4].GetProperty("arguments").GetString());
        var done = events[5].GetProperty("item");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(added.GetProperty("call_id").GetString(), done.GetProperty("call_id").GetString());
        var output = Assert.Single(events[^1].GetProperty("response").GetProperty("output").EnumerateArray());
        Assert.Equal(ToolCallerModel.ArgumentsJson, output.GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Tool_choice_naming_the_function_keeps_it_and_naming_another_is_refused()
    {
        using var named = await PostOkAsync($$"""{"model":"tool-caller","temperature":0,"tools":{{Tools}},"tool_choice":{"type":"function","name":"get_weather"},"input":"weather in Paris?"}""");
        Assert.Equal("function_call", named.RootElement.GetProperty("output")[0].GetProperty("type").GetString());
        Assert.Equal("get_weather", named.RootElement.GetProperty("tool_choice").GetProperty("name").GetString());

        using var none = await PostOkAsync($$"""{"model":"tool-caller","temperature":0,"tools":{{Tools}},"tool_choice":"none","input":"weather in Paris?"}""");
        Assert.Equal("message", none.RootElement.GetProperty("output")[0].GetProperty("type").GetString());
        Assert.Equal(ToolCallerModel.ScriptText, none.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());

        using var other = await fx.Http.PostAsync("/v1/responses", Json($$"""{"model":"tool-caller","tools":{{Tools}},"tool_choice":{"type":"function","name":"get_time"},"input":"hi"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Contains("get_time", await other.Content.ReadAsStringAsync());
    }

    private async Task<JsonDocument> PostOkAsync(string json)
    {
        using var response = await fx.Http.PostAsync("/v1/responses", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
