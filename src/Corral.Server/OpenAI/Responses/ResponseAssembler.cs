using System.Text;
using System.Text.Json;
using Corral.Api.OpenAI.Responses;
using Corral.Server.Inference;

namespace Corral.Server.OpenAI.Responses;

/// <summary>
/// Builds a response's output items from completion events: thinking becomes a <c>reasoning</c> item with
/// one summary part, content a <c>message</c> item with one <c>output_text</c> part, each tool call a
/// <c>function_call</c> item. When streaming, it also emits OpenAI's event sequence as it goes (item and
/// part added, deltas, done events, then <c>response.completed</c> or <c>response.incomplete</c>), each
/// with the next sequence number. Events are handed out one at a time and must be written before the next
/// call: the per-token delta events are reused.
/// </summary>
public sealed class ResponseAssembler(ResponseObject response, Action<ResponseStreamEvent>? emit = null)
{
    private static readonly JsonElement[] NoLogprobs = [];
    private readonly ResponseStreamEvent _textDelta = new() { Type = "response.output_text.delta", ContentIndex = 0, Logprobs = NoLogprobs };
    private readonly ResponseStreamEvent _summaryDelta = new() { Type = "response.reasoning_summary_text.delta", SummaryIndex = 0 };
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _thinking = new();
    private ResponseOutputItem? _message;
    private ResponseOutputItem? _reasoning;
    private int _sequence;
    private bool _calledTools;

    public ResponseObject Response { get; } = response;

    private bool Streaming => emit is not null;

    /// <summary>The opening events: <c>response.created</c> and <c>response.in_progress</c>.</summary>
    public void Begin()
    {
        Lifecycle("response.created");
        Lifecycle("response.in_progress");
    }

    public void Add(CompletionEvent e)
    {
        switch (e.Kind)
        {
            case CompletionEventKind.Thinking when e.Text.Length > 0:
                OpenReasoning();
                _thinking.Append(e.Text);
                if (Streaming)
                {
                    _summaryDelta.ItemId = _reasoning!.Id;
                    _summaryDelta.OutputIndex = Response.Output.Count - 1;
                    _summaryDelta.Delta = e.Text;
                    Emit(_summaryDelta);
                }

                break;
            case CompletionEventKind.Content when e.Text.Length > 0:
                CloseReasoning();
                OpenMessage();
                _text.Append(e.Text);
                if (Streaming)
                {
                    _textDelta.ItemId = _message!.Id;
                    _textDelta.OutputIndex = Response.Output.Count - 1;
                    _textDelta.Delta = e.Text;
                    Emit(_textDelta);
                }

                break;
            case CompletionEventKind.ToolCall:
                CloseReasoning();
                CloseMessage("completed");
                AddFunctionCall(e.ToolCall!.Name, e.ToolCall.ArgumentsJson);
                break;
            case CompletionEventKind.Done:
                Finish(e.Final!);
                break;
        }
    }

    /// <summary>A failure after the stream began: an <c>error</c> event, then <c>response.failed</c>.</summary>
    public void Fail(int status, string message)
    {
        var code = status >= 500 ? "server_error" : "invalid_prompt";
        Response.Status = "failed";
        Response.Error = new ResponseError { Code = code, Message = message };
        if (Streaming)
        {
            Emit(new ResponseStreamEvent { Type = "error", Code = code, Message = message });
        }

        Lifecycle("response.failed");
    }

    private void Finish(Runner.Protocol.CompletionChunk final)
    {
        CloseReasoning();
        var incomplete = final.DoneReason == "length";
        if (_message is null && !_calledTools && !Response.Output.Exists(i => i.Type == "message"))
        {
            OpenMessage(); // an empty answer is still a message, so output_text is "" rather than missing
        }

        CloseMessage(incomplete ? "incomplete" : "completed");
        var input = final.PromptEvalCount;
        Response.Usage = new ResponseUsage
        {
            InputTokens = input,
            InputTokensDetails = new ResponseInputTokensDetails { CachedTokens = final.CachedTokens },
            OutputTokens = final.EvalCount,
            TotalTokens = input + final.EvalCount,
        };
        Response.CompletedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (incomplete)
        {
            Response.Status = "incomplete";
            Response.IncompleteDetails = new ResponseIncompleteDetails { Reason = "max_output_tokens" };
            Lifecycle("response.incomplete");
        }
        else
        {
            Response.Status = "completed";
            Lifecycle("response.completed");
        }
    }

    private void OpenReasoning()
    {
        if (_reasoning is not null)
        {
            return;
        }

        CloseMessage("completed");
        _reasoning = new ResponseOutputItem { Id = ResponseIds.New("rs_"), Type = "reasoning", Summary = [] };
        Response.Output.Add(_reasoning);
        if (Streaming)
        {
            var index = Response.Output.Count - 1;
            Emit(new ResponseStreamEvent { Type = "response.output_item.added", OutputIndex = index, Item = _reasoning });
            Emit(new ResponseStreamEvent { Type = "response.reasoning_summary_part.added", ItemId = _reasoning.Id, OutputIndex = index, SummaryIndex = 0, Part = ResponseContentPart.SummaryText(string.Empty) });
        }
    }

    private void CloseReasoning()
    {
        if (_reasoning is not { } item)
        {
            return;
        }

        var text = _thinking.ToString();
        _thinking.Clear();
        _reasoning = null;
        var part = ResponseContentPart.SummaryText(text);
        item.Summary!.Add(part);
        item.EncryptedContent = text;
        if (Streaming)
        {
            var index = Response.Output.IndexOf(item);
            Emit(new ResponseStreamEvent { Type = "response.reasoning_summary_text.done", ItemId = item.Id, OutputIndex = index, SummaryIndex = 0, Text = text });
            Emit(new ResponseStreamEvent { Type = "response.reasoning_summary_part.done", ItemId = item.Id, OutputIndex = index, SummaryIndex = 0, Part = part });
            Emit(new ResponseStreamEvent { Type = "response.output_item.done", OutputIndex = index, Item = item });
        }
    }

    private void OpenMessage()
    {
        if (_message is not null)
        {
            return;
        }

        _message = new ResponseOutputItem { Id = ResponseIds.New("msg_"), Type = "message", Status = "in_progress", Role = "assistant", Content = [] };
        Response.Output.Add(_message);
        if (Streaming)
        {
            var index = Response.Output.Count - 1;
            Emit(new ResponseStreamEvent { Type = "response.output_item.added", OutputIndex = index, Item = _message });
            Emit(new ResponseStreamEvent { Type = "response.content_part.added", ItemId = _message.Id, OutputIndex = index, ContentIndex = 0, Part = ResponseContentPart.OutputText(string.Empty) });
        }
    }

    private void CloseMessage(string status)
    {
        if (_message is not { } item)
        {
            return;
        }

        var text = _text.ToString();
        _text.Clear();
        _message = null;
        var part = ResponseContentPart.OutputText(text);
        item.Content!.Add(part);
        item.Status = status;
        if (Streaming)
        {
            var index = Response.Output.IndexOf(item);
            Emit(new ResponseStreamEvent { Type = "response.output_text.done", ItemId = item.Id, OutputIndex = index, ContentIndex = 0, Text = text, Logprobs = NoLogprobs });
            Emit(new ResponseStreamEvent { Type = "response.content_part.done", ItemId = item.Id, OutputIndex = index, ContentIndex = 0, Part = part });
            Emit(new ResponseStreamEvent { Type = "response.output_item.done", OutputIndex = index, Item = item });
        }
    }

    private void AddFunctionCall(string name, string arguments)
    {
        _calledTools = true;
        var item = new ResponseOutputItem
        {
            Id = ResponseIds.New("fc_"),
            Type = "function_call",
            Status = "in_progress",
            CallId = ToolCallIds.NewCallId(),
            Name = name,
            Arguments = string.Empty,
        };
        Response.Output.Add(item);
        var index = Response.Output.Count - 1;
        if (Streaming)
        {
            Emit(new ResponseStreamEvent { Type = "response.output_item.added", OutputIndex = index, Item = item });
            Emit(new ResponseStreamEvent { Type = "response.function_call_arguments.delta", ItemId = item.Id, OutputIndex = index, Delta = arguments });
            Emit(new ResponseStreamEvent { Type = "response.function_call_arguments.done", ItemId = item.Id, OutputIndex = index, Name = name, Arguments = arguments });
        }

        item.Arguments = arguments;
        item.Status = "completed";
        if (Streaming)
        {
            Emit(new ResponseStreamEvent { Type = "response.output_item.done", OutputIndex = index, Item = item });
        }
    }

    private void Lifecycle(string type)
    {
        if (Streaming)
        {
            Emit(new ResponseStreamEvent { Type = type, Response = Response });
        }
    }

    private void Emit(ResponseStreamEvent e)
    {
        e.SequenceNumber = _sequence++;
        emit!(e);
    }
}
