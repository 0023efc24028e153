using System.Text.Json;
using System.Text.Json.Nodes;
using Corral.Api.OpenAI;
using Corral.Runner.Protocol;
using Corral.Server.Inference;
using Corral.Server.OpenAI;
using Corral.Templates.Parsing;

namespace Corral.Server.Tests.OpenAI;

/// <summary>The streamed chunk shapes, from synthetic events (a real model cannot be made to call tools on demand).</summary>
public sealed class ChatChunkFactoryTests
{
    private readonly ChatChunkFactory _factory = new("chatcmpl-1", 1700000000, "m", choices: 2, logprobs: false);

    [Fact]
    public void Tool_calls_stream_as_a_header_delta_then_the_arguments()
    {
        var chunks = new List<ChatCompletionChunk>();
        _factory.Translate(1, new CompletionEvent(CompletionEventKind.ToolCall, string.Empty, new ParsedToolCall(0, "get_weather", new JsonObject { ["city"] = "Paris" }), null, null), chunks);
        _factory.Translate(1, new CompletionEvent(CompletionEventKind.ToolCall, string.Empty, new ParsedToolCall(1, "get_time", new JsonObject()), null, null), chunks);
        _factory.Translate(1, new CompletionEvent(CompletionEventKind.Done, string.Empty, null, null, new CompletionChunk { Done = true, DoneReason = "stop" }), chunks);

        var json = chunks.Select(c => JsonDocument.Parse(JsonSerializer.Serialize(c, OpenAIJsonContext.Wire.ChatCompletionChunk)).RootElement).ToList();
        Assert.Equal(5, json.Count);

        var header = json[0].GetProperty("choices")[0];
        Assert.Equal(1, header.GetProperty("index").GetInt32());
        var call = header.GetProperty("delta").GetProperty("tool_calls")[0];
        Assert.Equal(0, call.GetProperty("index").GetInt32());
        Assert.Matches("^call_[a-z0-9]{8}$", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(string.Empty, call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal(JsonValueKind.Null, header.GetProperty("finish_reason").ValueKind);

        var arguments = json[1].GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0];
        Assert.Equal(0, arguments.GetProperty("index").GetInt32());
        Assert.False(arguments.TryGetProperty("id", out _));
        Assert.False(arguments.GetProperty("function").TryGetProperty("name", out _));
        Assert.Equal("""{"city":"Paris"}""", arguments.GetProperty("function").GetProperty("arguments").GetString());

        // The second call of the same choice gets the next index and its own id.
        var second = json[2].GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0];
        Assert.Equal(1, second.GetProperty("index").GetInt32());
        Assert.NotEqual(call.GetProperty("id").GetString(), second.GetProperty("id").GetString());

        Assert.Equal("tool_calls", json[4].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void Role_comes_first_then_content_and_reasoning_deltas_without_role()
    {
        var role = JsonSerializer.Serialize(_factory.RoleChunk(0), OpenAIJsonContext.Wire.ChatCompletionChunk);
        Assert.Contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}", role);

        var chunks = new List<ChatCompletionChunk>();
        _factory.Translate(0, new CompletionEvent(CompletionEventKind.Thinking, "hmm", null, null, null), chunks);
        _factory.Translate(0, new CompletionEvent(CompletionEventKind.Content, string.Empty, null, null, null), chunks);
        _factory.Translate(0, new CompletionEvent(CompletionEventKind.Content, "hi", null, null, null), chunks);
        _factory.Translate(0, new CompletionEvent(CompletionEventKind.Done, string.Empty, null, null, new CompletionChunk { Done = true, DoneReason = "length" }), chunks);

        var json = chunks.Select(c => JsonSerializer.Serialize(c, OpenAIJsonContext.Wire.ChatCompletionChunk)).ToList();
        Assert.Equal(3, json.Count); // the empty content delta is dropped
        Assert.Contains("\"reasoning\":\"hmm\"", json[0]);
        Assert.Contains("\"reasoning_content\":\"hmm\"", json[0]);
        Assert.DoesNotContain("\"role\"", json[1]);
        Assert.Contains("\"content\":\"hi\"", json[1]);
        Assert.Contains("\"finish_reason\":\"length\"", json[2]);
    }
}
