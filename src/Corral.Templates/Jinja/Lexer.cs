namespace Corral.Templates.Jinja;

/// <summary>
/// Splits a template into text and tag tokens with the whitespace rules Hugging Face's chat-template environment
/// uses: trim_blocks and lstrip_blocks on, keep_trailing_newline off, plus the '-' / '+' tag modifiers.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Operators =
    [
        "**", "//", "==", "!=", "<=", ">=",
        "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", ";",
    ];

    private readonly string _src;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _line = 1;
    private bool _lineStarting = true;

    private Lexer(string source)
    {
        // keep_trailing_newline=False: one trailing newline of the template is not part of the output.
        _src = source.EndsWith('\n') ? source[..^1] : source;
    }

    public static List<Token> Tokenize(string source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (_pos < _src.Length)
        {
            var open = FindTagOpen(_pos);
            if (open < 0)
            {
                AddText(_src[_pos..]);
                _pos = _src.Length;
                break;
            }

            var text = _src[_pos..open];
            var kind = _src[open + 1];
            var modifier = open + 2 < _src.Length ? _src[open + 2] : '\0';
            if (modifier == '-')
            {
                text = text.TrimEnd();
            }
            else if (kind != '{' && modifier != '+')
            {
                text = LstripLine(text);
            }

            AddText(text);
            CountLines(_src.AsSpan(_pos, open - _pos));
            _pos = open + 2 + (modifier is '-' or '+' ? 1 : 0);
            switch (kind)
            {
                case '#':
                    SkipComment();
                    break;
                case '%' when TryRaw():
                    break;
                case '%':
                    _tokens.Add(new Token(TokenKind.BlockBegin, "{%", _line));
                    LexTag(isBlock: true);
                    break;
                default:
                    _tokens.Add(new Token(TokenKind.VarBegin, "{{", _line));
                    LexTag(isBlock: false);
                    break;
            }
        }

        _tokens.Add(new Token(TokenKind.Eof, "", _line));
    }

    private int FindTagOpen(int from)
    {
        while (true)
        {
            var i = _src.IndexOf('{', from);
            if (i < 0 || i + 1 >= _src.Length)
            {
                return -1;
            }

            if (_src[i + 1] is '{' or '%' or '#')
            {
                return i;
            }

            from = i + 1;
        }
    }

    private string LstripLine(string text)
    {
        // lstrip_blocks: spaces/tabs between a line start and a block or comment tag are not output.
        var lineStart = text.LastIndexOf('\n') + 1;
        if (lineStart == 0 && !_lineStarting)
        {
            return text;
        }

        for (var i = lineStart; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return text;
            }
        }

        return text[..lineStart];
    }

    private void AddText(string text)
    {
        if (text.Length > 0)
        {
            _tokens.Add(new Token(TokenKind.Text, text, _line));
        }
    }

    private void CountLines(ReadOnlySpan<char> span) => _line += span.Count('\n');

    /// <summary>Consumes what follows a closing tag: '-' strips all whitespace, trim_blocks one newline.</summary>
    private void AfterTagEnd(char modifier, bool trimBlock)
    {
        var start = _pos;
        if (modifier == '-')
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos]))
            {
                _pos++;
            }
        }
        else if (trimBlock && modifier != '+' && _pos < _src.Length && _src[_pos] == '\n')
        {
            _pos++;
        }

        CountLines(_src.AsSpan(start, _pos - start));
        _lineStarting = _pos > start && _src[_pos - 1] == '\n';
    }

    private void SkipComment()
    {
        var end = _src.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error("unclosed comment");
        }

        var modifier = _src[end - 1];
        CountLines(_src.AsSpan(_pos, end - _pos));
        _pos = end + 2;
        AfterTagEnd(modifier is '-' or '+' ? modifier : '\0', trimBlock: true);
    }

    private bool TryRaw()
    {
        var i = SkipSpaces(_pos);
        if (string.CompareOrdinal(_src, i, "raw", 0, 3) != 0)
        {
            return false;
        }

        i = SkipSpaces(i + 3);
        var closeModifier = '\0';
        if (i < _src.Length && _src[i] is '-' or '+')
        {
            closeModifier = _src[i];
            i++;
        }

        if (string.CompareOrdinal(_src, i, "%}", 0, 2) != 0)
        {
            return false;
        }

        _pos = i + 2;
        AfterTagEnd(closeModifier, trimBlock: true);
        var search = _pos;
        while (true)
        {
            var open = _src.IndexOf("{%", search, StringComparison.Ordinal);
            if (open < 0)
            {
                throw Error("missing endraw");
            }

            var j = open + 2;
            var openModifier = j < _src.Length && _src[j] is '-' or '+' ? _src[j++] : '\0';
            j = SkipSpaces(j);
            if (string.CompareOrdinal(_src, j, "endraw", 0, 6) != 0)
            {
                search = open + 2;
                continue;
            }

            j = SkipSpaces(j + 6);
            var endModifier = j < _src.Length && _src[j] is '-' or '+' ? _src[j++] : '\0';
            if (string.CompareOrdinal(_src, j, "%}", 0, 2) != 0)
            {
                throw Error("malformed endraw");
            }

            var body = _src[_pos..open];
            body = openModifier == '-' ? body.TrimEnd() : openModifier == '+' ? body : LstripLine(body);
            AddText(body);
            CountLines(_src.AsSpan(_pos, open - _pos));
            _pos = j + 2;
            AfterTagEnd(endModifier, trimBlock: true);
            return true;
        }
    }

    private int SkipSpaces(int i)
    {
        while (i < _src.Length && char.IsWhiteSpace(_src[i]))
        {
            i++;
        }

        return i;
    }

    private void LexTag(bool isBlock)
    {
        var depth = 0;
        while (true)
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos]))
            {
                if (_src[_pos] == '\n')
                {
                    _line++;
                }

                _pos++;
            }

            if (_pos >= _src.Length)
            {
                throw Error("unclosed tag");
            }

            if (TryTagEnd(isBlock, depth))
            {
                return;
            }

            var c = _src[_pos];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < _src.Length && (char.IsAsciiLetterOrDigit(_src[_pos]) || _src[_pos] == '_'))
                {
                    _pos++;
                }

                _tokens.Add(new Token(TokenKind.Name, _src[start.._pos], _line));
            }
            else if (char.IsAsciiDigit(c))
            {
                LexNumber();
            }
            else if (c is '\'' or '"')
            {
                LexString(c);
            }
            else
            {
                var op = Array.Find(Operators, o => string.CompareOrdinal(_src, _pos, o, 0, o.Length) == 0)
                    ?? throw Error($"unexpected character '{c}'");
                depth += op switch { "(" or "[" or "{" => 1, ")" or "]" or "}" => -1, _ => 0 };
                _pos += op.Length;
                _tokens.Add(new Token(TokenKind.Operator, op, _line));
            }
        }
    }

    private bool TryTagEnd(bool isBlock, int depth)
    {
        var end = isBlock ? "%}" : "}}";
        var modifier = _src[_pos] is '-' or '+' ? _src[_pos] : '\0';
        var at = modifier == '\0' ? _pos : _pos + 1;
        if (string.CompareOrdinal(_src, at, end, 0, 2) != 0 || (!isBlock && depth > 0))
        {
            return false;
        }

        if (modifier == '+' && !isBlock)
        {
            return false;
        }

        _tokens.Add(new Token(isBlock ? TokenKind.BlockEnd : TokenKind.VarEnd, end, _line));
        _pos = at + 2;
        AfterTagEnd(modifier, trimBlock: isBlock);
        return true;
    }

    private void LexNumber()
    {
        var start = _pos;
        var isFloat = false;
        while (_pos < _src.Length && (char.IsAsciiDigit(_src[_pos]) || _src[_pos] == '_'))
        {
            _pos++;
        }

        if (_pos + 1 < _src.Length && _src[_pos] == '.' && char.IsAsciiDigit(_src[_pos + 1]))
        {
            isFloat = true;
            _pos++;
            while (_pos < _src.Length && (char.IsAsciiDigit(_src[_pos]) || _src[_pos] == '_'))
            {
                _pos++;
            }
        }

        if (_pos < _src.Length && _src[_pos] is 'e' or 'E')
        {
            var save = _pos;
            _pos++;
            if (_pos < _src.Length && _src[_pos] is '+' or '-')
            {
                _pos++;
            }

            if (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
            {
                isFloat = true;
                while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
                {
                    _pos++;
                }
            }
            else
            {
                _pos = save;
            }
        }

        _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, _src[start.._pos].Replace("_", ""), _line));
    }

    private void LexString(char quote)
    {
        var sb = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= _src.Length)
            {
                throw Error("unterminated string");
            }

            var c = _src[_pos++];
            if (c == quote)
            {
                break;
            }

            if (c == '\n')
            {
                _line++;
            }

            if (c != '\\' || _pos >= _src.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = _src[_pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case 'a': sb.Append('\a'); break;
                case '0': sb.Append('\0'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case '\n': _line++; break;
                case 'x': sb.Append(ParseHex(2)); break;
                case 'u': sb.Append(ParseHex(4)); break;
                case 'U': sb.Append(ParseCodePoint()); break;
                default: sb.Append('\\').Append(e); break;
            }
        }

        _tokens.Add(new Token(TokenKind.String, sb.ToString(), _line));
    }

    // A template is untrusted (it comes inside the GGUF): a bad escape is a syntax error like Python's, never a
    // FormatException or ArgumentOutOfRangeException escaping the parser.
    private char ParseHex(int digits) => (char)ParseHexValue(digits);

    private string ParseCodePoint()
    {
        var value = ParseHexValue(8);
        return Rune.IsValid(value) ? char.ConvertFromUtf32(value) : throw Error($"illegal Unicode character \\U{value:x8}");
    }

    private int ParseHexValue(int digits)
    {
        var hex = ReadHex(digits);
        return int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"truncated \\{(digits == 2 ? 'x' : digits == 4 ? 'u' : 'U')}XX escape");
    }

    private string ReadHex(int digits)
    {
        if (_pos + digits > _src.Length)
        {
            throw Error("truncated escape");
        }

        var hex = _src.Substring(_pos, digits);
        _pos += digits;
        return hex;
    }

    private JinjaException Error(string message) => new($"template syntax error at line {_line}: {message}");
}
