namespace Corral.Models.Modelfiles;

/// <summary>
/// A Modelfile that does not parse. The message reads like Ollama's: <c>(line 3): unknown parameter 'x'</c>.
/// </summary>
public sealed class ModelfileParseException : FormatException
{
    public ModelfileParseException(string reason, int line = 0, int column = 0)
        : base(line > 0 ? $"(line {line}): {reason}" : reason)
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>The message without the position.</summary>
    public string Reason { get; }

    /// <summary>1-based line, or 0 when the error is about the whole file.</summary>
    public int Line { get; }

    /// <summary>1-based column, or 0 when unknown.</summary>
    public int Column { get; }
}
