using System.Text.Json;
using System.Text.Json.Nodes;
using Corral.Api.OpenAI.Responses;
using Corral.Runner.Protocol;
using Corral.Server.Inference;
using Corral.Server.OpenAI.Responses;
using Corral.Templates.Parsing;

namespace Corral.Server.Tests.OpenAI;

/// <summary>
/// Output items and stream events of /v1/responses from synthetic completion events: thinking and tool
/// calls cannot be asked of the generated models, so their translation is checked here.
/// </summary>
public sealed class ResponseAssemblerTests
{
    private readonly List<JsonElement> _events = [];

    [Fact]
    public void Thinking_then_text_become_a_reasoning_item_and_a_message()
    {
        var assembler = Streaming();
        assembler.Begin();
        assembler.Add(Thinking("let me "));
        assembler.Add(Thinking("think"));
        assembler.Add(Content("ab"));
        assembler.Add(Content("c"));
        assembler.Add(Done("stop", prompt: 10, cached: 3, eval: 5));

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed",
            ],
            Types());
        Assert.Equal(Enumerable.Range(0, _events.Count), _events.Select(e => e.GetProperty("sequence_number").GetInt32()));

        var created = _events[0].GetProperty("response");
        Assert.Equal("in_progress", created.GetProperty("status").GetString());
        Assert.Equal(0, created.GetProperty("output").GetArrayLength());

        var reasoningAdded = _events[2];
        Assert.Equal(0, reasoningAdded.GetProperty("output_index").GetInt32());
        Assert.Equal("reasoning", reasoningAdded.GetProperty("item").GetProperty("type").GetString());
        Assert.Equal(0, reasoningAdded.GetProperty("item").GetProperty("summary").GetArrayLength());
        var reasoningId = reasoningAdded.GetProperty("item").GetProperty("id").GetString();
        Assert.StartsWith("rs_", reasoningId);
        Assert.Equal("summary_text", _events[3].GetProperty("part").GetProperty("type").GetString());
        Assert.Equal(reasoningId, _events[4].GetProperty("item_id").GetString());
        Assert.Equal(0, _events[4].GetProperty("summary_index").GetInt32());
        Assert.Equal("let me ", _events[4].GetProperty("delta").GetString());
        Assert.Equal("let me think", _events[6].GetProperty("text").GetString());
        Assert.Equal("let me think", _events[8].GetProperty("item").GetProperty("summary")[0].GetProperty("text").GetString());

        var messageAdded = _events[9];
        Assert.Equal(1, messageAdded.GetProperty("output_index").GetInt32());
        var message = messageAdded.GetProperty("item");
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("in_progress", message.GetProperty("status").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(0, message.GetProperty("content").GetArrayLength());
        var part = _events[10].GetProperty("part");
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.Equal(string.Empty, part.GetProperty("text").GetString());
        Assert.Equal(0, part.GetProperty("annotations").GetArrayLength());
        Assert.Equal(1, _events[11].GetProperty("output_index").GetInt32());
        Assert.Equal(0, _events[11].GetProperty("content_index").GetInt32());
        Assert.Equal(message.GetProperty("id").GetString(), _events[11].GetProperty("item_id").GetString());
        Assert.Equal("abc", _events[13].GetProperty("text").GetString());
        Assert.Equal("completed", _events[15].GetProperty("item").GetProperty("status").GetString());

        var done = _events[^1].GetProperty("response");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("completed_at").GetInt64() > 0);
        var output = done.GetProperty("output");
        Assert.Equal(2, output.GetArrayLength());
        Assert.Equal("let me think", output[0].GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.Equal("let me think", output[0].GetProperty("encrypted_content").GetString());
        Assert.Equal("abc", output[1].GetProperty("content")[0].GetProperty("text").GetString());
        var usage = done.GetProperty("usage");
        Assert.Equal(10, usage.GetProperty("input_tokens").GetInt32()); // the whole prompt; the cached part is named beside it
        Assert.Equal(3, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(15, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public void Tool_calls_become_function_call_items_with_their_arguments_events()
    {
        var assembler = Streaming();
        assembler.Begin();
        assembler.Add(Content("checking"));
        assembler.Add(ToolCall(0, "get_weather", new JsonObject { ["city"] = "Paris" }));
        assembler.Add(ToolCall(1, "get_time", []));
        assembler.Add(Done("stop"));

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            Types());

        var added = _events[8];
        Assert.Equal(1, added.GetProperty("output_index").GetInt32());
        var item = added.GetProperty("item");
        Assert.Equal("function_call", item.GetProperty("type").GetString());
        Assert.Equal("in_progress", item.GetProperty("status").GetString());
        Assert.Equal("get_weather", item.GetProperty("name").GetString());
        Assert.Equal(string.Empty, item.GetProperty("arguments").GetString());
        Assert.StartsWith("fc_", item.GetProperty("id").GetString());
        Assert.Matches("^call_[a-z0-9]{8}$", item.GetProperty("call_id").GetString());
        Assert.Equal("""{"city":"Paris"}""", _events[9].GetProperty("delta").GetString());
        Assert.Equal(item.GetProperty("id").GetString(), _events[9].GetProperty("item_id").GetString());
        Assert.Equal("""{"city":"Paris"}""", _events[10].GetProperty("arguments").GetString());
        Assert.Equal("get_weather", _events[10].GetProperty("name").GetString());
        var finished = _events[11].GetProperty("item");
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal("""{"city":"Paris"}""", finished.GetProperty("arguments").GetString());
        Assert.Equal(item.GetProperty("call_id").GetString(), finished.GetProperty("call_id").GetString());
        Assert.Equal(2, _events[12].GetProperty("output_index").GetInt32());
        Assert.Equal("{}", _events[14].GetProperty("arguments").GetString());

        var output = _events[^1].GetProperty("response").GetProperty("output");
        Assert.Equal(["message", "function_call", "function_call"], output.EnumerateArray().Select(o => o.GetProperty("type").GetString()));
        Assert.Equal("checking", output[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.False(output[1].TryGetProperty("content", out _));
        Assert.NotEqual(output[1].GetProperty("call_id").GetString(), output[2].GetProperty("call_id").GetString());
    }

    [Fact]
    public void A_lone_tool_call_has_no_message_and_an_empty_answer_is_an_empty_message()
    {
        var calling = new ResponseAssembler(NewResponse());
        calling.Add(ToolCall(0, "f", new JsonObject { ["x"] = 1 }));
        calling.Add(Done("stop"));
        var item = Assert.Single(calling.Response.Output);
        Assert.Equal("function_call", item.Type);
        Assert.Equal("""{"x":1}""", item.Arguments);
        Assert.Equal("completed", calling.Response.Status);

        var silent = new ResponseAssembler(NewResponse());
        silent.Add(Done("stop"));
        var message = Assert.Single(silent.Response.Output);
        Assert.Equal("message", message.Type);
        Assert.Equal(string.Empty, Assert.Single(message.Content!).Text);
    }

    [Fact]
    public void Running_out_of_tokens_makes_the_response_and_its_message_incomplete()
    {
        var assembler = Streaming();
        assembler.Begin();
        assembler.Add(Content("abc"));
        assembler.Add(Done("length", eval: 3));

        Assert.Equal("response.incomplete", Types()[^1]);
        var response = _events[^1].GetProperty("response");
        Assert.Equal("incomplete", response.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal("incomplete", response.GetProperty("output")[0].GetProperty("status").GetString());
    }

    [Fact]
    public void A_failure_mid_stream_sends_an_error_event_then_response_failed()
    {
        var assembler = Streaming();
        assembler.Begin();
        assembler.Add(Content("ab"));
        assembler.Fail(500, "runner crashed");

        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error", "response.failed"], Types());
        var error = _events[^2];
        Assert.Equal("server_error", error.GetProperty("code").GetString());
        Assert.Equal("runner crashed", error.GetProperty("message").GetString());
        Assert.False(error.TryGetProperty("error", out _)); // the npm SDK would throw on a top-level "error" field
        var failed = _events[^1].GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("runner crashed", failed.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(6, _events[^1].GetProperty("sequence_number").GetInt32());
    }

    private static ResponseObject NewResponse() => new()
    {
        Id = "resp_1",
        Model = "m",
        ToolChoice = JsonDocument.Parse("\"auto\"").RootElement,
        Metadata = JsonDocument.Parse("{}").RootElement,
    };

    private ResponseAssembler Streaming() => new(NewResponse(), e =>
        _events.Add(JsonDocument.Parse(JsonSerializer.Serialize(e, ResponsesJsonContext.Wire.ResponseStreamEvent)).RootElement));

    private List<string> Types() => _events.Select(e => e.GetProperty("type").GetString()!).ToList();

    private static CompletionEvent Content(string text) => new(CompletionEventKind.Content, text, null, null, null);

    private static CompletionEvent Thinking(string text) => new(CompletionEventKind.Thinking, text, null, null, null);

    private static CompletionEvent ToolCall(int index, string name, JsonObject arguments) =>
        new(CompletionEventKind.ToolCall, string.Empty, new ParsedToolCall(index, name, arguments), null, null);

    private static CompletionEvent Done(string reason, int prompt = 4, int cached = 0, int eval = 1) =>
        new(CompletionEventKind.Done, string.Empty, null, null, new CompletionChunk { Done = true, DoneReason = reason, PromptEvalCount = prompt, CachedTokens = cached, EvalCount = eval });
}
