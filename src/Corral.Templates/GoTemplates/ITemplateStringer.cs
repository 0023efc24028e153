namespace Corral.Templates.GoTemplates;

/// <summary>
/// Marks a list or map whose Go type has a String() method (a fmt.Stringer): printing it uses that text
/// instead of Go's default [a b] / map[k:v] formatting. Ollama's .Tools and tool-call .Arguments are such types.
/// </summary>
public interface ITemplateStringer
{
    string ToGoString();
}
