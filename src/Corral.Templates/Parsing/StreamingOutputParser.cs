using System.Text.Json;
using System.Text.Json.Nodes;

namespace Corral.Templates.Parsing;

/// <summary>
/// Splits a model's streamed output into content, thinking and tool calls. Text is released as soon as it cannot be
/// the start of a marker; only a possible marker prefix (or an unfinished tool call) is held back. A tool call whose
/// JSON is malformed, or names an unknown tool, is released as content and tool parsing stops for this response.
/// One instance per response; not thread-safe.
/// </summary>
public sealed class StreamingOutputParser
{
    private readonly OutputParserOptions _options;
    private string _pending = "";
    private State _state;
    private bool _trimLeading;
    private bool _contentStarted;
    private bool _bareCall;
    private int _nextIndex;
    private JsonEndScanner _scanner;

    public StreamingOutputParser(OutputParserOptions options)
    {
        _options = options;
        if (options.ParseThinking)
        {
            _state = options.StartInThinking ? State.Thinking : State.Start;
            _trimLeading = options.StartInThinking;
        }
        else
        {
            _state = State.Content;
        }
    }

    private enum State
    {
        Start,
        Thinking,
        Content,
        ToolCall,
        AfterCall,
        Plain,
    }

    /// <summary>Number of tool calls emitted so far.</summary>
    public int ToolCallCount => _nextIndex;

    public void Push(string piece, List<OutputEvent> events)
    {
        _pending = _pending.Length == 0 ? piece : _pending + piece;
        while (Step(events, final: false))
        {
        }
    }

    /// <summary>The output ended: releases everything still held back.</summary>
    public void Finish(List<OutputEvent> events)
    {
        while (Step(events, final: true))
        {
        }

        if (_pending.Length > 0)
        {
            EmitContent(events, _pending);
            _pending = "";
        }
    }

    private bool Step(List<OutputEvent> events, bool final) => _state switch
    {
        State.Start => StepStart(final),
        State.Thinking => StepThinking(events, final),
        State.Content => StepContent(events, final),
        State.ToolCall => StepToolCall(events, final),
        State.AfterCall => StepAfterCall(final),
        _ => StepPlain(events),
    };

    private bool StepStart(bool final)
    {
        var open = _options.ThinkingOpenTag;
        var trimmed = _pending.AsSpan().TrimStart();
        if (trimmed.StartsWith(open, StringComparison.Ordinal))
        {
            _pending = trimmed[open.Length..].ToString();
            _state = State.Thinking;
            _trimLeading = true;
            return true;
        }

        if (!final && open.AsSpan().StartsWith(trimmed, StringComparison.Ordinal))
        {
            return false;
        }

        _state = State.Content;
        return true;
    }

    private bool StepThinking(List<OutputEvent> events, bool final)
    {
        if (_trimLeading)
        {
            _pending = _pending.TrimStart();
            if (_pending.Length == 0)
            {
                return false;
            }

            _trimLeading = false;
        }

        var close = _options.ThinkingCloseTag;
        var at = _pending.IndexOf(close, StringComparison.Ordinal);
        if (at >= 0)
        {
            if (at > 0)
            {
                events.Add(OutputEvent.Thinking(_pending[..at]));
            }

            _pending = _pending[(at + close.Length)..];
            _state = State.Content;
            _trimLeading = true;
            return true;
        }

        var keep = final ? 0 : PartialSuffix(_pending, close);
        if (_pending.Length > keep)
        {
            events.Add(OutputEvent.Thinking(_pending[..^keep]));
            _pending = _pending[^keep..];
        }

        return false;
    }

    private bool StepContent(List<OutputEvent> events, bool final)
    {
        if (_trimLeading)
        {
            _pending = _pending.TrimStart();
            if (_pending.Length == 0)
            {
                return false;
            }

            _trimLeading = false;
        }

        if (_options.BareJsonToolCalls && !_contentStarted)
        {
            var trimmed = _pending.TrimStart();
            if (trimmed.Length == 0)
            {
                return false;
            }

            if (trimmed[0] is '{' or '[')
            {
                EnterToolCall(trimmed, bare: true);
                return true;
            }
        }

        var tag = _options.ToolCallOpenTag;
        if (tag is null)
        {
            EmitContent(events, _pending);
            _pending = "";
            return false;
        }

        var at = _pending.IndexOf(tag, StringComparison.Ordinal);
        if (at >= 0)
        {
            EmitContent(events, _pending[..at]);
            EnterToolCall(_pending[(at + tag.Length)..], bare: false);
            return true;
        }

        var keep = final ? 0 : PartialSuffix(_pending, tag);
        EmitContent(events, _pending[..^keep]);
        _pending = _pending[^keep..];
        return false;
    }

    private void EnterToolCall(string rest, bool bare)
    {
        _pending = rest;
        _bareCall = bare;
        _scanner = default;
        _state = State.ToolCall;
    }

    private bool StepToolCall(List<OutputEvent> events, bool final)
    {
        var end = _scanner.FindEnd(_pending);
        if (end == JsonEndScanner.NotJson || (end == JsonEndScanner.Incomplete && final))
        {
            FallBackToContent(events);
            return true;
        }

        if (end == JsonEndScanner.Incomplete)
        {
            return false;
        }

        var calls = TryReadCalls(_pending.AsSpan(0, end));
        if (calls is null)
        {
            FallBackToContent(events);
            return true;
        }

        foreach (var call in calls)
        {
            events.Add(OutputEvent.Call(call));
        }

        _pending = _pending[end..];
        _state = State.AfterCall;
        return true;
    }

    private bool StepAfterCall(bool final)
    {
        var trimmed = _pending.TrimStart();
        if (trimmed.Length == 0 && !final)
        {
            return false;
        }

        var close = _options.ToolCallCloseTag;
        if (close is not null && !_bareCall)
        {
            if (trimmed.StartsWith(close, StringComparison.Ordinal))
            {
                _pending = trimmed[close.Length..];
                _state = State.Content;
                _trimLeading = true;
                return true;
            }

            if (!final && close.StartsWith(trimmed, StringComparison.Ordinal))
            {
                return false;
            }
        }
        else if (trimmed.StartsWith(';') || (trimmed.StartsWith(',') && _bareCall))
        {
            // Llama 3.x separates several bare calls with ';'.
            _pending = trimmed[1..];
            return true;
        }
        else if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            EnterToolCall(trimmed, _bareCall);
            return true;
        }

        _pending = trimmed;
        _state = State.Content;
        _trimLeading = true;
        return true;
    }

    private bool StepPlain(List<OutputEvent> events)
    {
        EmitContent(events, _pending);
        _pending = "";
        return false;
    }

    private void FallBackToContent(List<OutputEvent> events)
    {
        // Ollama's behaviour: what looked like a tool call but is not one is shown to the user as text.
        var text = _bareCall ? _pending : _options.ToolCallOpenTag + _pending;
        EmitContent(events, text);
        _pending = "";
        _state = State.Plain;
    }

    private void EmitContent(List<OutputEvent> events, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (!_contentStarted && !string.IsNullOrWhiteSpace(text))
        {
            _contentStarted = true;
        }

        events.Add(OutputEvent.Content(text));
    }

    private List<ParsedToolCall>? TryReadCalls(ReadOnlySpan<char> json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json.ToString());
        }
        catch (JsonException)
        {
            return null;
        }

        var calls = new List<ParsedToolCall>();
        var index = _nextIndex;
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is not JsonObject obj || TryReadCall(obj, index++) is not { } call)
                {
                    return null;
                }

                calls.Add(call);
            }
        }
        else if (node is JsonObject obj && TryReadCall(obj, index++) is { } call)
        {
            calls.Add(call);
        }
        else
        {
            return null;
        }

        _nextIndex = index;
        return calls.Count > 0 ? calls : null;
    }

    private ParsedToolCall? TryReadCall(JsonObject obj, int index)
    {
        // {"name": ..., "arguments"|"parameters": {...}} or the OpenAI shape {"function": {"name", "arguments"}}.
        if (obj["function"] is JsonObject function && !obj.ContainsKey("name"))
        {
            obj = function;
        }

        if (obj["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || name.Length == 0)
        {
            return null;
        }

        if (_options.ToolNames is { } names && !names.Contains(name))
        {
            return null;
        }

        var raw = obj["arguments"] ?? obj["parameters"];
        JsonObject arguments;
        switch (raw)
        {
            case null:
                arguments = [];
                break;
            case JsonObject o:
                arguments = (JsonObject)o.DeepClone();
                break;
            case JsonValue v when v.TryGetValue<string>(out var text):
                try
                {
                    arguments = JsonNode.Parse(text) as JsonObject ?? [];
                }
                catch (JsonException)
                {
                    return null;
                }

                break;
            default:
                return null;
        }

        return new ParsedToolCall(index, name, arguments);
    }

    /// <summary>Length of the longest end of <paramref name="text"/> that is a proper prefix of <paramref name="tag"/>.</summary>
    internal static int PartialSuffix(string text, string tag)
    {
        for (var k = Math.Min(text.Length, tag.Length - 1); k > 0; k--)
        {
            if (text.AsSpan(text.Length - k).SequenceEqual(tag.AsSpan(0, k)))
            {
                return k;
            }
        }

        return 0;
    }
}
