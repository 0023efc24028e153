namespace Corral.Templates.GoTemplates;

/// <summary>
/// A failure while executing a template; the message follows Go's
/// "template: NAME:LINE:COL: executing "NAME" at &lt;NODE&gt;: msg" form.
/// </summary>
public sealed class TemplateExecutionException : Exception
{
    public TemplateExecutionException(string templateName, int line, int column, string node, string detail)
        : base($"template: {templateName}:{line}:{column}: executing \"{templateName}\" at <{node}>: {detail}")
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
        Node = node;
        Detail = detail;
    }

    public string TemplateName { get; }

    public int Line { get; }

    /// <summary>0-based offset within the line, as Go prints it.</summary>
    public int Column { get; }

    /// <summary>The failing node, printed as Go prints it (e.g. ".Messages.Foo" or "index .X 5").</summary>
    public string Node { get; }

    public string Detail { get; }
}
