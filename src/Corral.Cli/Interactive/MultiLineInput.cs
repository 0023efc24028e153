using System.Text;

namespace Corral.Cli.Interactive;

/// <summary>
/// Gathers a <c>"""</c>-quoted message over several lines, as ollama's prompt does: a line starting with
/// <c>"""</c> opens it (unless the same line ends with <c>"""</c>), lines are joined with newlines, and the line
/// ending in <c>"""</c> closes it. The opening quotes and the closing ones are dropped.
/// </summary>
internal sealed class MultiLineInput
{
    public const string Quote = "\"\"\"";
    private readonly StringBuilder _buffer = new();

    /// <summary>True between an opening and a closing <c>"""</c>.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>What the gathered text is for ("/set system" gathers a system message).</summary>
    public MultiLinePurpose Purpose { get; private set; }

    /// <summary>
    /// Takes one entered line. Returns the complete text when the line finishes one (a plain line is complete
    /// by itself), or null while a quoted message is still open.
    /// </summary>
    public string? Feed(string line) => Feed(line, MultiLinePurpose.Prompt);

    public string? Feed(string line, MultiLinePurpose purpose)
    {
        if (IsOpen)
        {
            var closed = line.EndsWith(Quote, StringComparison.Ordinal);
            _buffer.Append(closed ? line[..^Quote.Length] : line);
            if (!closed)
            {
                _buffer.Append('\n');
                return null;
            }

            IsOpen = false;
            var text = _buffer.ToString();
            _buffer.Clear();
            return text;
        }

        if (!line.StartsWith(Quote, StringComparison.Ordinal))
        {
            return line;
        }

        var rest = line[Quote.Length..];
        if (rest.Length >= Quote.Length && rest.EndsWith(Quote, StringComparison.Ordinal))
        {
            return rest[..^Quote.Length];
        }

        IsOpen = true;
        Purpose = purpose;
        _buffer.Append(rest).Append('\n');
        return null;
    }

    public void Reset()
    {
        IsOpen = false;
        _buffer.Clear();
    }
}
