namespace Corral.Models.Modelfiles;

/// <summary>
/// Quoting rules shared by the parser and the formatter. A value is written bare when it is a
/// single line without surrounding blanks that does not itself start with a quote; otherwise in
/// <c>"..."</c>, or in <c>"""..."""</c> when it contains a quote (as <c>ollama show</c> does).
/// </summary>
public static class ModelfileQuoting
{
    public const string Triple = "\"\"\"";

    public static string Quote(string value)
    {
        var needsQuotes = value.Length == 0
            || value.Contains('\n')
            || value.Contains('\r')
            || char.IsWhiteSpace(value[0])
            || char.IsWhiteSpace(value[^1])
            || value[0] == '"';
        if (!needsQuotes)
        {
            return value;
        }

        return value.Contains('"') ? Triple + value + Triple : "\"" + value + "\"";
    }

    /// <summary>
    /// Removes one level of quotes from a trimmed value. Returns false for an opened but not yet
    /// closed quote, which tells the parser to take in the next line.
    /// </summary>
    public static bool TryUnquote(string trimmed, out string value)
    {
        if (trimmed.StartsWith(Triple, StringComparison.Ordinal))
        {
            var closed = trimmed.Length >= 6 && trimmed.EndsWith(Triple, StringComparison.Ordinal);
            value = closed ? trimmed[3..^3] : "";
            return closed;
        }

        if (trimmed.StartsWith('"'))
        {
            var closed = trimmed.Length >= 2 && trimmed.EndsWith('"');
            value = closed ? trimmed[1..^1] : "";
            return closed;
        }

        value = trimmed;
        return true;
    }
}
