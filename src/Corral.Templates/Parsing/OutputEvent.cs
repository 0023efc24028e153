namespace Corral.Templates.Parsing;

/// <summary>One thing the model said, as the streaming parser classified it.</summary>
public readonly record struct OutputEvent(OutputEventKind Kind, string Text, ParsedToolCall? ToolCall)
{
    public static OutputEvent Content(string text) => new(OutputEventKind.Content, text, null);

    public static OutputEvent Thinking(string text) => new(OutputEventKind.Thinking, text, null);

    public static OutputEvent Call(ParsedToolCall call) => new(OutputEventKind.ToolCall, "", call);
}
