using Corral.Runner.Protocol;

namespace Corral.Server.Anthropic;

/// <summary>The runner's final chunk → Anthropic's stop_reason.</summary>
internal static class StopReasons
{
    /// <summary>
    /// "length" → max_tokens; a finished answer with tool calls → tool_use; a stop string that matched
    /// (the runner reports it in <see cref="CompletionChunk.StopSequence"/>) → stop_sequence; otherwise end_turn.
    /// </summary>
    public static string For(CompletionChunk final, bool hadToolCalls) => final.DoneReason switch
    {
        "length" => "max_tokens",
        _ when hadToolCalls => "tool_use",
        _ when final.StopSequence is not null => "stop_sequence",
        _ => "end_turn",
    };

    /// <summary>Anthropic's stop_sequence field: the matched string when it ended the answer, else null.</summary>
    public static string? SequenceFor(CompletionChunk final, bool hadToolCalls) =>
        For(final, hadToolCalls) == "stop_sequence" ? final.StopSequence : null;
}
