namespace Corral.Templates.Parsing;

/// <summary>
/// Finds where a JSON object or array that starts a text ends, resuming where the last call stopped so a streamed
/// tool call is scanned once; braces inside strings (and escaped quotes) do not count.
/// </summary>
internal struct JsonEndScanner
{
    public const int Incomplete = -1;
    public const int NotJson = -2;

    private int _pos;
    private int _depth;
    private bool _inString;
    private bool _escape;
    private bool _started;

    /// <summary>Index just past the closing bracket, <see cref="Incomplete"/>, or <see cref="NotJson"/>.</summary>
    public int FindEnd(string text)
    {
        for (; _pos < text.Length; _pos++)
        {
            var c = text[_pos];
            if (!_started)
            {
                if (char.IsWhiteSpace(c))
                {
                    continue;
                }

                if (c is not ('{' or '['))
                {
                    return NotJson;
                }

                _started = true;
            }

            if (_inString)
            {
                if (_escape)
                {
                    _escape = false;
                }
                else if (c == '\\')
                {
                    _escape = true;
                }
                else if (c == '"')
                {
                    _inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    _inString = true;
                    break;
                case '{' or '[':
                    _depth++;
                    break;
                case '}' or ']':
                    if (--_depth == 0)
                    {
                        return ++_pos;
                    }

                    break;
            }
        }

        return Incomplete;
    }
}
