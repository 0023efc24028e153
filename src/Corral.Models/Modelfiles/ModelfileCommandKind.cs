namespace Corral.Models.Modelfiles;

/// <summary>The Modelfile instructions Ollama accepts (case-insensitive in the file).</summary>
public enum ModelfileCommandKind
{
    From,
    Parameter,
    Template,
    System,
    Adapter,
    License,
    Message,
    Requires,
    Renderer,
    Parser,
    Draft,
}
