namespace Corral.Server.Inference;

public enum CompletionEventKind
{
    Content,
    Thinking,
    ToolCall,
    Done,
}
