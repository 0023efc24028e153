using System.Text;

namespace Corral.Models.Modelfiles;

/// <summary>
/// Line-oriented Modelfile parser with Ollama's semantics: <c>#</c> comments at the start of a
/// line, case-insensitive instruction names, a value that runs to the end of the line unless it
/// opens a <c>"</c> or <c>"""</c> quote, in which case lines are taken in until the trimmed text
/// ends with the same quote. Control characters other than tab and newline are dropped, as
/// Ollama drops non-printable runes.
/// </summary>
internal static class ModelfileParser
{
    private const string InvalidCommand =
        "command must be one of \"from\", \"license\", \"template\", \"system\", \"adapter\", \"draft\", \"renderer\", \"parser\", \"parameter\", \"message\", or \"requires\"";

    private const string InvalidRole = "message role must be one of \"system\", \"user\", or \"assistant\"";

    public static List<ModelfileCommand> Parse(string text)
    {
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var commands = new List<ModelfileCommand>();
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            var lineNumber = index + 1;
            var pos = SkipBlanks(line, 0);
            if (pos == line.Length || line[pos] == '#')
            {
                continue;
            }

            var nameStart = pos;
            while (pos < line.Length && char.IsAsciiLetter(line[pos]))
            {
                pos++;
            }

            var kind = ToKind(line[nameStart..pos]);
            if (kind is null || (pos < line.Length && !IsBlank(line[pos])))
            {
                throw new ModelfileParseException(InvalidCommand, lineNumber, nameStart + 1);
            }

            string? name = null;
            if (kind is ModelfileCommandKind.Parameter or ModelfileCommandKind.Message)
            {
                pos = SkipBlanks(line, pos);
                var argStart = pos;
                while (pos < line.Length && (char.IsAsciiLetterOrDigit(line[pos]) || line[pos] == '_'))
                {
                    pos++;
                }

                name = line[argStart..pos];
                if (kind == ModelfileCommandKind.Message && name is not ("system" or "user" or "assistant"))
                {
                    throw new ModelfileParseException(InvalidRole, lineNumber, argStart + 1);
                }

                if (name.Length == 0 || (pos < line.Length && !IsBlank(line[pos])))
                {
                    throw new ModelfileParseException(
                        kind == ModelfileCommandKind.Parameter ? "invalid parameter name" : InvalidRole, lineNumber, argStart + 1);
                }
            }

            pos = SkipBlanks(line, pos);
            var valueColumn = pos + 1;
            if (pos == line.Length && kind != ModelfileCommandKind.Message)
            {
                throw new ModelfileParseException($"missing value for {kind.Value.ToString().ToUpperInvariant()}", lineNumber, valueColumn);
            }

            var value = ReadValue(lines, ref index, pos, lineNumber, valueColumn);
            value = DropControlCharacters(value);
            if (kind == ModelfileCommandKind.Parameter && ModelfileParameters.Validate(name!, value) is { } error)
            {
                throw new ModelfileParseException(error, lineNumber, valueColumn);
            }

            commands.Add(new ModelfileCommand(kind.Value, value, name, lineNumber));
        }

        if (!commands.Exists(c => c.Kind == ModelfileCommandKind.From))
        {
            throw new ModelfileParseException("no FROM line");
        }

        return commands;
    }

    /// <summary>
    /// The value starting at <paramref name="pos"/>; an opened quote takes in following lines until
    /// a line's trimmed end closes it. Only the tail is checked per line, so long values stay linear.
    /// </summary>
    private static string ReadValue(string[] lines, ref int index, int pos, int lineNumber, int valueColumn)
    {
        var first = lines[index][pos..];
        var opener = first.StartsWith(ModelfileQuoting.Triple, StringComparison.Ordinal) ? ModelfileQuoting.Triple
            : first.StartsWith('"') ? "\"" : null;
        if (opener is null)
        {
            return first.Trim();
        }

        var buffer = new StringBuilder(first);
        while (!EndsWithCloser(buffer, opener))
        {
            if (++index == lines.Length)
            {
                throw new ModelfileParseException("unexpected EOF: unterminated quote", lineNumber, valueColumn);
            }

            buffer.Append('\n').Append(lines[index]);
        }

        ModelfileQuoting.TryUnquote(buffer.ToString().Trim(), out var value);
        return value;
    }

    private static bool EndsWithCloser(StringBuilder buffer, string quote)
    {
        var end = buffer.Length - 1;
        while (end >= 0 && char.IsWhiteSpace(buffer[end]))
        {
            end--;
        }

        if (end + 1 < 2 * quote.Length)
        {
            return false;
        }

        for (var i = 0; i < quote.Length; i++)
        {
            if (buffer[end - i] != '"')
            {
                return false;
            }
        }

        return true;
    }

    private static ModelfileCommandKind? ToKind(string name) => name.ToLowerInvariant() switch
    {
        "from" => ModelfileCommandKind.From,
        "parameter" => ModelfileCommandKind.Parameter,
        "template" => ModelfileCommandKind.Template,
        "system" => ModelfileCommandKind.System,
        "adapter" => ModelfileCommandKind.Adapter,
        "license" => ModelfileCommandKind.License,
        "message" => ModelfileCommandKind.Message,
        "requires" => ModelfileCommandKind.Requires,
        "renderer" => ModelfileCommandKind.Renderer,
        "parser" => ModelfileCommandKind.Parser,
        "draft" => ModelfileCommandKind.Draft,
        _ => null,
    };

    private static bool IsBlank(char c) => c is ' ' or '\t';

    private static int SkipBlanks(string line, int pos)
    {
        while (pos < line.Length && IsBlank(line[pos]))
        {
            pos++;
        }

        return pos;
    }

    private static string DropControlCharacters(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\n' or '\t'))
            {
                return string.Concat(value.Where(ch => !char.IsControl(ch) || ch is '\n' or '\t'));
            }
        }

        return value;
    }
}
