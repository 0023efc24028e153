using System.Text;
using System.Text.Json;
using Corral.Api.Anthropic;
using Corral.Server.Inference;

namespace Corral.Server.Anthropic;

/// <summary>
/// Collects completion events into a non-streaming message's content blocks, in the order the model
/// produced them: consecutive thinking or text deltas share one block, each tool call is its own block.
/// </summary>
internal sealed class MessageAccumulator
{
    private readonly List<ContentBlock> _blocks = [];
    private readonly StringBuilder _text = new();
    private string? _open; // "text" or "thinking" while deltas are being gathered
    private bool _hadToolCalls;

    public MessageUsage Usage { get; } = new();

    public string StopReason { get; private set; } = "end_turn";

    /// <summary>The stop string that ended the answer, when <see cref="StopReason"/> is stop_sequence.</summary>
    public string? StopSequence { get; private set; }

    public void Add(CompletionEvent e)
    {
        switch (e.Kind)
        {
            case CompletionEventKind.Thinking:
                Append("thinking", e.Text);
                break;
            case CompletionEventKind.Content:
                Append("text", e.Text);
                break;
            case CompletionEventKind.ToolCall:
                Close();
                _hadToolCalls = true;
                _blocks.Add(new ContentBlock
                {
                    Type = "tool_use",
                    Id = AnthropicIds.NewToolUseId(),
                    Name = e.ToolCall!.Name,
                    Caller = ToolUseCaller.Direct,
                    Input = JsonDocument.Parse(e.ToolCall.ArgumentsJson).RootElement,
                });
                break;
            case CompletionEventKind.Done:
                Close();
                // Anthropic's input_tokens excludes cache reads (clients add the two), so the whole prompt is the sum.
                Usage.InputTokens = e.Final!.PromptEvalCount - e.Final.CachedTokens;
                Usage.CacheReadInputTokens = e.Final.CachedTokens;
                Usage.OutputTokens = e.Final.EvalCount;
                StopReason = StopReasons.For(e.Final, _hadToolCalls);
                StopSequence = StopReasons.SequenceFor(e.Final, _hadToolCalls);
                break;
        }
    }

    public IReadOnlyList<ContentBlock> Blocks => _blocks;

    private void Append(string type, string text)
    {
        if (text.Length == 0)
        {
            return; // logprob-only events carry no text
        }

        if (_open != type)
        {
            Close();
            _open = type;
        }

        _text.Append(text);
    }

    private void Close()
    {
        if (_open is null)
        {
            return;
        }

        var text = _text.ToString();
        _blocks.Add(_open == "thinking"
            ? new ContentBlock { Type = "thinking", Thinking = text, Signature = ThinkingSignature.Of(text) }
            : new ContentBlock { Type = "text", Text = text });
        _text.Clear();
        _open = null;
    }
}
