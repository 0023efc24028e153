using Corral.Runner.Protocol;
using Corral.Templates.Parsing;

namespace Corral.Server.Inference;

/// <summary>
/// One step of a parsed completion, independent of the wire format: a content or thinking delta, a
/// complete tool call, or the end (with the runner's counts and durations).
/// </summary>
public readonly record struct CompletionEvent(
    CompletionEventKind Kind,
    string Text,
    ParsedToolCall? ToolCall,
    List<TokenLogprob>? Logprobs,
    CompletionChunk? Final);
