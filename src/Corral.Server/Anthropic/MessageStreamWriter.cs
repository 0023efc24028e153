using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Corral.Api.Anthropic;
using Corral.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Anthropic;

/// <summary>
/// Streams a message as Anthropic does: <c>event: name\ndata: {json}\n\n</c> for message_start, ping,
/// per block content_block_start / content_block_delta… / content_block_stop, then message_delta and
/// message_stop. The event objects are reused, so a token costs no allocation beyond its text.
/// </summary>
internal sealed class MessageStreamWriter(HttpContext http, string id, string model, int promptTokens) : IDisposable
{
    private static readonly JsonElement EmptyInput = JsonDocument.Parse("{}").RootElement.Clone();
    private readonly StreamEvent _delta = new() { Type = "content_block_delta", Delta = new StreamDelta() };
    private readonly StreamEvent _edge = new();
    private readonly ThinkingSignature _signature = new();
    private Utf8JsonWriter? _json;
    private string? _open; // "text" or "thinking" while a block is open
    private int _index = -1;
    private bool _hadToolCalls;

    private PipeWriter Pipe => http.Response.BodyWriter;

    public async ValueTask StartAsync()
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        _json = new Utf8JsonWriter((IBufferWriter<byte>)Pipe, new JsonWriterOptions { SkipValidation = true, Encoder = AnthropicJsonContext.Wire.Options.Encoder });
        Write("message_start", new StreamEvent
        {
            Type = "message_start",
            // Anthropic's message_start carries the input tokens; the prompt is measured (Ollama estimates it), and
            // message_delta's final usage then splits it into uncached and cached parts.
            Message = new MessageResponse { Id = id, Model = model, Usage = new MessageUsage { InputTokens = promptTokens } },
        });
        Write("ping", new StreamEvent { Type = "ping" });
        await FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Writes what one completion event means; returns whether anything was written (worth a flush).</summary>
    public bool Add(CompletionEvent e)
    {
        switch (e.Kind)
        {
            case CompletionEventKind.Thinking when e.Text.Length > 0:
                Open("thinking");
                _delta.Delta!.Type = "thinking_delta";
                _delta.Delta.Thinking = e.Text;
                _delta.Delta.Text = null;
                _signature.Append(e.Text);
                WriteDelta();
                _delta.Delta.Thinking = null;
                return true;
            case CompletionEventKind.Content when e.Text.Length > 0:
                Open("text");
                _delta.Delta!.Type = "text_delta";
                _delta.Delta.Text = e.Text;
                WriteDelta();
                _delta.Delta.Text = null;
                return true;
            case CompletionEventKind.ToolCall:
                Close();
                _hadToolCalls = true;
                _index++;
                WriteEdge("content_block_start", new ContentBlock { Type = "tool_use", Id = AnthropicIds.NewToolUseId(), Name = e.ToolCall!.Name, Input = EmptyInput, Caller = ToolUseCaller.Direct });
                _delta.Delta!.Type = "input_json_delta";
                _delta.Delta.PartialJson = e.ToolCall.ArgumentsJson;
                WriteDelta();
                _delta.Delta.PartialJson = null;
                WriteEdge("content_block_stop", null);
                return true;
            case CompletionEventKind.Done:
                Close();
                var final = e.Final!;
                Write("message_delta", new StreamEvent
                {
                    Type = "message_delta",
                    Delta = new StreamDelta { StopReason = StopReasons.For(final, _hadToolCalls), StopSequence = StopReasons.SequenceFor(final, _hadToolCalls) },
                    Usage = new MessageUsage { InputTokens = final.PromptEvalCount - final.CachedTokens, CacheReadInputTokens = final.CachedTokens, OutputTokens = final.EvalCount },
                });
                Write("message_stop", new StreamEvent { Type = "message_stop" });
                return true;
            default:
                return false;
        }
    }

    public async ValueTask FlushAsync() => await Pipe.FlushAsync(http.RequestAborted).ConfigureAwait(false);

    /// <summary>A failure after the first event: an error event in Anthropic's shape, then the stream ends.</summary>
    public async ValueTask WriteErrorAsync(int status, string message)
    {
        Write("error", AnthropicErrors.Create(status, message), AnthropicJsonContext.Wire.AnthropicErrorResponse);
        await FlushAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        _json?.Dispose();
        _signature.Dispose();
    }

    private void Open(string type)
    {
        if (_open == type)
        {
            return;
        }

        Close();
        _open = type;
        _index++;
        WriteEdge("content_block_start", type == "thinking"
            ? new ContentBlock { Type = "thinking", Thinking = string.Empty, Signature = string.Empty }
            : new ContentBlock { Type = "text", Text = string.Empty });
    }

    private void Close()
    {
        if (_open is null)
        {
            return;
        }

        if (_open == "thinking")
        {
            // Clients replaying thinking blocks expect a signature: an opaque one, as the
            // non-streamed block has (see ThinkingSignature); it verifies nothing.
            _delta.Delta!.Type = "signature_delta";
            _delta.Delta.Signature = _signature.Complete();
            WriteDelta();
            _delta.Delta.Signature = null;
        }

        WriteEdge("content_block_stop", null);
        _open = null;
    }

    private void WriteDelta()
    {
        _delta.Index = _index;
        Write("content_block_delta", _delta);
    }

    private void WriteEdge(string type, ContentBlock? block)
    {
        _edge.Type = type;
        _edge.Index = _index;
        _edge.ContentBlock = block;
        Write(type, _edge);
    }

    private void Write(string name, StreamEvent value) => Write(name, value, AnthropicJsonContext.Wire.StreamEvent);

    private void Write<T>(string name, T value, JsonTypeInfo<T> typeInfo)
    {
        var pipe = Pipe;
        pipe.Write("event: "u8);
        Encoding.UTF8.GetBytes(name.AsSpan(), (IBufferWriter<byte>)pipe);
        pipe.Write("\ndata: "u8);
        _json!.Reset((IBufferWriter<byte>)pipe);
        JsonSerializer.Serialize(_json, value, typeInfo);
        _json.Flush();
        pipe.Write("\n\n"u8);
    }
}
