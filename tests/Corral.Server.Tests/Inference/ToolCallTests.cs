using System.Net;
using System.Text;
using System.Text.Json;
using Corral.TestModels;

namespace Corral.Server.Tests.Inference;

/// <summary>/api/chat tool calls end to end: the tool-caller model really generates a call, the server parses it.</summary>
public sealed class ToolCallTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private const string Tools = """[{"type":"function","function":{"name":"get_weather","description":"weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

    [Fact]
    public async Task Chat_with_tools_returns_the_parsed_call_and_no_content()
    {
        using var doc = await PostOkAsync("/api/chat", $$"""{"model":"tool-caller","stream":false,"tools":{{Tools}},"messages":[{"role":"user","content":"weather in Paris?"}]}""");
        var message = doc.RootElement.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(string.Empty, message.GetProperty("content").GetString());
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
        Assert.Equal(ToolCallerModel.ToolName, call.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, call.GetProperty("arguments").ValueKind);
        Assert.Equal(ToolCallerModel.ArgumentValue, call.GetProperty("arguments").GetProperty(ToolCallerModel.ArgumentName).GetString());
        Assert.Equal("stop", doc.RootElement.GetProperty("done_reason").GetString());
        Assert.Equal(ToolCallerModel.ScriptTokenCount, doc.RootElement.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task Streamed_chat_sends_the_call_in_one_chunk_before_done()
    {
        var lines = await PostNdjsonAsync("/api/chat", $$"""{"model":"tool-caller","tools":{{Tools}},"messages":[{"role":"user","content":"weather in Paris?"}]}""");
        var withCalls = lines.Where(l => l.GetProperty("message").TryGetProperty("tool_calls", out _)).ToList();
        var call = Assert.Single(Assert.Single(withCalls).GetProperty("message").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(ToolCallerModel.ToolName, call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(ToolCallerModel.ArgumentValue, call.GetProperty("function").GetProperty("arguments").GetProperty(ToolCallerModel.ArgumentName).GetString());
        Assert.Equal(string.Empty, string.Concat(lines.Select(l => l.GetProperty("message").GetProperty("content").GetString())));
        Assert.True(lines[^1].GetProperty("done").GetBoolean());
        Assert.False(withCalls[0].GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task Without_tools_the_call_is_plain_content()
    {
        using var doc = await PostOkAsync("/api/chat", """{"model":"tool-caller","stream":false,"messages":[{"role":"user","content":"weather in Paris?"}]}""");
        var message = doc.RootElement.GetProperty("message");
        Assert.Equal(ToolCallerModel.ScriptText, message.GetProperty("content").GetString());
        Assert.False(message.TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public async Task Tool_result_turn_renders_the_call_and_the_result_and_gets_text()
    {
        const string Messages = """
            [{"role":"user","content":"weather in Paris?"},
             {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
             {"role":"tool","tool_name":"get_weather","content":"sunny, 24 C"}]
            """;
        using var rendered = await PostOkAsync("/api/chat", $$"""{"model":"tool-caller","tools":{{Tools}},"messages":{{Messages}},"_debug_render_only":true}""");
        var prompt = rendered.RootElement.GetProperty("_debug_info").GetProperty("rendered_template").GetString()!;
        Assert.Contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\":\"Paris\"}}\n</tool_call><|eot_id|>", prompt);
        Assert.EndsWith("<|start_header_id|>tool<|end_header_id|>\n\nsunny, 24 C<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n", prompt);

        using var doc = await PostOkAsync("/api/chat", $$"""{"model":"tool-caller","stream":false,"tools":{{Tools}},"messages":{{Messages}}}""");
        var message = doc.RootElement.GetProperty("message");
        Assert.Equal(ToolCallerModel.AnswerAfterToolResult, message.GetProperty("content").GetString());
        Assert.False(message.TryGetProperty("tool_calls", out _));
    }

    private async Task<JsonDocument> PostOkAsync(string path, string body)
    {
        using var response = await fx.Http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text);
    }

    private async Task<List<JsonElement>> PostNdjsonAsync(string path, string body)
    {
        using var response = await fx.Http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
