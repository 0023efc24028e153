namespace Corral.Templates.Parsing;

public enum OutputEventKind
{
    /// <summary>Visible answer text (<see cref="OutputEvent.Text"/>).</summary>
    Content,

    /// <summary>Reasoning text between the thinking tags (<see cref="OutputEvent.Text"/>).</summary>
    Thinking,

    /// <summary>A complete tool call (<see cref="OutputEvent.ToolCall"/>).</summary>
    ToolCall,
}
