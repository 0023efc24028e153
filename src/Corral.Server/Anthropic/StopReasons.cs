namespace Corral.Server.Anthropic;

/// <summary>The runner's done_reason → Anthropic's stop_reason.</summary>
internal static class StopReasons
{
    /// <summary>
    /// "length" → max_tokens; a finished answer with tool calls → tool_use; otherwise end_turn. The runner
    /// does not say whether a stop sequence or the end-of-turn token ended the answer, so stop_sequence is
    /// not reported.
    /// </summary>
    public static string For(string? doneReason, bool hadToolCalls) => doneReason switch
    {
        "length" => "max_tokens",
        _ when hadToolCalls => "tool_use",
        _ => "end_turn",
    };
}
