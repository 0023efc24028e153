namespace Corral.Templates.GoTemplates;

internal enum TokenKind
{
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Identifier,
    Keyword,
    Field,
    Variable,
    Dot,
    Bool,
    Nil,
    Number,
    Char,
    String,
    RawString,
    Pipe,
    LeftParen,
    RightParen,
    Comma,
    Declare,
    Assign,
    Eof,
}

internal readonly record struct Token(TokenKind Kind, string Value, int Position);

/// <summary>Splits template text into tokens as Go's text/template/parse lexer does, applying {{- -}} trimming.</summary>
internal sealed class Lexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";
    private static readonly HashSet<string> Keywords =
        ["block", "break", "continue", "define", "else", "end", "if", "range", "template", "with"];

    private readonly string _text;
    private readonly Func<int, string, Exception> _error;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _parenDepth;

    public Lexer(string text, Func<int, string, Exception> error)
    {
        _text = text;
        _error = error;
    }

    public List<Token> Lex()
    {
        var trimNextText = false;
        while (_pos < _text.Length)
        {
            var next = _text.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
            var end = next < 0 ? _text.Length : next;
            var textStart = _pos;
            var textEnd = end;
            var leftTrim = next >= 0 && HasLeftTrimMarker(next + LeftDelim.Length);
            if (trimNextText)
            {
                while (textStart < textEnd && IsSpace(_text[textStart]))
                {
                    textStart++;
                }
            }
            if (leftTrim)
            {
                while (textEnd > textStart && IsSpace(_text[textEnd - 1]))
                {
                    textEnd--;
                }
            }
            if (textEnd > textStart)
            {
                _tokens.Add(new Token(TokenKind.Text, _text[textStart..textEnd], textStart));
            }
            if (next < 0)
            {
                break;
            }
            _pos = next + LeftDelim.Length + (leftTrim ? 2 : 0);
            trimNextText = LexAction(next);
        }
        _tokens.Add(new Token(TokenKind.Eof, "", _text.Length));
        return _tokens;
    }

    private bool HasLeftTrimMarker(int at) => at + 1 < _text.Length && _text[at] == '-' && IsSpace(_text[at + 1]);

    private bool AtRightDelim(out bool trim)
    {
        trim = false;
        if (_pos + 2 < _text.Length + 0 && IsSpace(_text[_pos]) && _text[_pos + 1] == '-' &&
            string.CompareOrdinal(_text, _pos + 2, RightDelim, 0, 2) == 0)
        {
            trim = true;
            return true;
        }
        return string.CompareOrdinal(_text, _pos, RightDelim, 0, 2) == 0;
    }

    /// <summary>Lexes from after "{{" to after "}}"; returns whether the right delimiter trims following text.</summary>
    private bool LexAction(int delimPos)
    {
        // Comments: "{{/*" ... "*/}}", allowing trim markers on both sides.
        if (string.CompareOrdinal(_text, _pos, "/*", 0, 2) == 0)
        {
            var close = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw _error(_pos, "unclosed comment");
            }
            _pos = close + 2;
            if (!AtRightDelim(out var trimAfterComment))
            {
                throw _error(_pos, "comment ends before closing delimiter");
            }
            _pos += trimAfterComment ? 4 : 2;
            return trimAfterComment;
        }
        _tokens.Add(new Token(TokenKind.LeftDelim, LeftDelim, delimPos));
        _parenDepth = 0;
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw _error(_pos, "unclosed action");
            }
            if (AtRightDelim(out var trim))
            {
                if (_parenDepth > 0)
                {
                    throw _error(_pos, "unclosed left paren");
                }
                if (trim)
                {
                    _tokens.Add(new Token(TokenKind.Space, " ", _pos));
                    _pos++;
                }
                _tokens.Add(new Token(TokenKind.RightDelim, RightDelim, _pos));
                _pos += trim ? 3 : 2;
                return trim;
            }
            LexInsideAction();
        }
    }

    private void LexInsideAction()
    {
        var start = _pos;
        var c = _text[_pos];
        switch (c)
        {
            case ' ' or '\t' or '\r' or '\n':
                while (_pos < _text.Length && IsSpace(_text[_pos]) && !AtRightDelim(out _))
                {
                    _pos++;
                }
                if (_pos == start)
                {
                    _pos++;
                }
                Add(TokenKind.Space, start);
                return;
            case '|':
                _pos++;
                Add(TokenKind.Pipe, start);
                return;
            case '(':
                _pos++;
                _parenDepth++;
                Add(TokenKind.LeftParen, start);
                return;
            case ')':
                _pos++;
                if (--_parenDepth < 0)
                {
                    throw _error(start, "unexpected right paren");
                }
                Add(TokenKind.RightParen, start);
                return;
            case ',':
                _pos++;
                Add(TokenKind.Comma, start);
                return;
            case ':':
                if (_pos + 1 < _text.Length && _text[_pos + 1] == '=')
                {
                    _pos += 2;
                    Add(TokenKind.Declare, start);
                    return;
                }
                throw _error(start, "expected :=");
            case '=':
                _pos++;
                Add(TokenKind.Assign, start);
                return;
            case '"':
                LexQuote(start);
                return;
            case '`':
                var close = _text.IndexOf('`', _pos + 1);
                if (close < 0)
                {
                    throw _error(start, "unterminated raw quoted string");
                }
                _pos = close + 1;
                Add(TokenKind.RawString, start);
                return;
            case '\'':
                LexChar(start);
                return;
            case '$':
                _pos++;
                ScanAlphaNumeric();
                Add(TokenKind.Variable, start);
                return;
            case '.':
                if (_pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1]))
                {
                    LexNumber(start);
                    return;
                }
                _pos++;
                if (_pos < _text.Length && IsAlphaNumeric(_text[_pos]))
                {
                    ScanAlphaNumeric();
                    Add(TokenKind.Field, start);
                }
                else
                {
                    Add(TokenKind.Dot, start);
                }
                return;
        }
        if (char.IsAsciiDigit(c) || (c is '+' or '-' && _pos + 1 < _text.Length && (char.IsAsciiDigit(_text[_pos + 1]) || _text[_pos + 1] == '.')))
        {
            LexNumber(start);
            return;
        }
        if (IsAlphaNumeric(c))
        {
            ScanAlphaNumeric();
            var word = _text[start.._pos];
            var kind = word switch
            {
                "true" or "false" => TokenKind.Bool,
                "nil" => TokenKind.Nil,
                _ when Keywords.Contains(word) => TokenKind.Keyword,
                _ => TokenKind.Identifier,
            };
            _tokens.Add(new Token(kind, word, start));
            return;
        }
        throw _error(start, $"unrecognized character in action: {Describe(c)}");
    }

    private static string Describe(char c) => c < 0x20 || c == 0x7f ? $"U+{(int)c:X4}" : $"U+{(int)c:X4} '{c}'";

    private void Add(TokenKind kind, int start) => _tokens.Add(new Token(kind, _text[start.._pos], start));

    private void ScanAlphaNumeric()
    {
        while (_pos < _text.Length && IsAlphaNumeric(_text[_pos]))
        {
            _pos++;
        }
    }

    private void LexQuote(int start)
    {
        _pos++;
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
            {
                throw _error(start, "unterminated quoted string");
            }
            var c = _text[_pos++];
            if (c == '\\')
            {
                _pos++;
            }
            else if (c == '"')
            {
                break;
            }
        }
        Add(TokenKind.String, start);
    }

    private void LexChar(int start)
    {
        _pos++;
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
            {
                throw _error(start, "unterminated character constant");
            }
            var c = _text[_pos++];
            if (c == '\\')
            {
                _pos++;
            }
            else if (c == '\'')
            {
                break;
            }
        }
        Add(TokenKind.Char, start);
    }

    private void LexNumber(int start)
    {
        if (_text[_pos] is '+' or '-')
        {
            _pos++;
        }
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
            {
                _pos++;
            }
            else if (c is '+' or '-' && _text[_pos - 1] is 'e' or 'E' or 'p' or 'P' && !IsHexPrefixed(start))
            {
                _pos++;
            }
            else
            {
                break;
            }
        }
        Add(TokenKind.Number, start);
    }

    private bool IsHexPrefixed(int start)
    {
        var s = _text[start] is '+' or '-' ? start + 1 : start;
        return s + 1 < _text.Length && _text[s] == '0' && _text[s + 1] is 'x' or 'X' && _text[_pos - 1] is 'e' or 'E';
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetterOrDigit(c);
}
