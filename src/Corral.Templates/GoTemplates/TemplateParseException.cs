namespace Corral.Templates.GoTemplates;

/// <summary>A template that does not parse; the message follows Go's "template: NAME:LINE: msg" form; the column is kept separately.</summary>
public sealed class TemplateParseException : Exception
{
    public TemplateParseException(string templateName, int line, int column, string detail)
        : base($"template: {templateName}:{line}: {detail}")
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
        Detail = detail;
    }

    public string TemplateName { get; }

    /// <summary>1-based line of the offending token.</summary>
    public int Line { get; }

    /// <summary>1-based column (in UTF-16 code units) of the offending token.</summary>
    public int Column { get; }

    public string Detail { get; }
}
