namespace Corral.Llama.Grammar;

/// <summary>
/// Checks a user's GBNF grammar the way llama.cpp's parser reads it (llama-grammar.cpp), before it goes near a
/// runner: rules <c>name ::= alternatives</c> (names of letters, digits and '-'), literals with llama.cpp's escapes,
/// character classes, groups, <c>.</c>, token references, the repetition operators and bounds up to 2000, every
/// referenced rule defined, and a <c>root</c>. llama.cpp only logs its reason and refuses; this names the line and
/// column. What needs the vocabulary (the text of a <c>&lt;token&gt;</c>) or a full analysis (left recursion) is still
/// left to llama.cpp, whose refusal is a 400 too.
/// </summary>
public static class GbnfSyntax
{
    /// <summary>llama.cpp's MAX_REPETITION_THRESHOLD.</summary>
    public const int MaxRepetitions = 2000;

    /// <exception cref="GbnfSyntaxException">The grammar would not parse, or misses a rule or the root.</exception>
    public static void Check(string grammar)
    {
        var reader = new Reader(grammar);
        reader.Grammar();
    }

    private static readonly System.Buffers.SearchValues<char> AsciiDigits = System.Buffers.SearchValues.Create("0123456789");

    private sealed class Reader(string text)
    {
        private readonly HashSet<string> _defined = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _referenced = new(StringComparer.Ordinal);
        private int _pos;

        private char Current => _pos < text.Length ? text[_pos] : '\0';

        private char Next => _pos + 1 < text.Length ? text[_pos + 1] : '\0';

        public void Grammar()
        {
            Space(newlineOk: true);
            while (_pos < text.Length)
            {
                Rule();
            }

            foreach (var (name, at) in _referenced)
            {
                if (!_defined.Contains(name))
                {
                    _pos = at;
                    throw Error($"undefined rule '{name}'");
                }
            }

            if (!_defined.Contains("root"))
            {
                _pos = 0;
                throw new GbnfSyntaxException("the grammar has no 'root' rule");
            }
        }

        private void Rule()
        {
            var name = Name();
            Space(newlineOk: false);
            if (!(Current == ':' && Next == ':' && _pos + 2 < text.Length && text[_pos + 2] == '='))
            {
                throw Error("expecting ::=");
            }

            _pos += 3;
            Space(newlineOk: true);
            Alternates(nested: false);
            _defined.Add(name);
            if (Current == '\r')
            {
                _pos += Next == '\n' ? 2 : 1;
            }
            else if (Current == '\n')
            {
                _pos++;
            }
            else if (_pos < text.Length)
            {
                throw Error("expecting newline or end");
            }

            Space(newlineOk: true);
        }

        private void Alternates(bool nested)
        {
            Sequence(nested);
            while (Current == '|')
            {
                _pos++;
                Space(newlineOk: true);
                Sequence(nested);
            }
        }

        private void Sequence(bool nested)
        {
            var hasItem = false;
            while (_pos < text.Length)
            {
                var c = Current;
                if (c == '"')
                {
                    _pos++;
                    while (Current != '"')
                    {
                        Char();
                    }

                    _pos++;
                }
                else if (c == '[')
                {
                    _pos++;
                    if (Current == '^')
                    {
                        _pos++;
                    }

                    while (Current != ']')
                    {
                        Char();
                        if (Current == '-' && Next != ']')
                        {
                            _pos++;
                            Char();
                        }
                    }

                    _pos++;
                }
                else if (c is '<' or '!')
                {
                    Token();
                }
                else if (IsWordChar(c))
                {
                    var at = _pos;
                    _referenced.TryAdd(Name(), at);
                }
                else if (c == '(')
                {
                    _pos++;
                    Space(newlineOk: true);
                    Alternates(nested: true);
                    if (Current != ')')
                    {
                        throw Error("expecting ')'");
                    }

                    _pos++;
                }
                else if (c == '.')
                {
                    _pos++;
                }
                else if (c is '*' or '+' or '?' or '{')
                {
                    if (!hasItem)
                    {
                        throw Error($"expecting an item before '{c}'");
                    }

                    _pos++;
                    if (c == '{')
                    {
                        Space(nested);
                        Bounds(nested);
                        continue; // Bounds consumed the trailing space
                    }
                }
                else
                {
                    break;
                }

                hasItem = true;
                Space(nested);
            }
        }

        private void Bounds(bool nested)
        {
            var min = Int();
            Space(nested);
            if (min > MaxRepetitions)
            {
                throw Error($"more than {MaxRepetitions} repetitions");
            }

            if (Current == '}')
            {
                _pos++;
                Space(nested);
                return;
            }

            if (Current != ',')
            {
                throw Error("expecting ',' or '}'");
            }

            _pos++;
            Space(nested);
            if (char.IsAsciiDigit(Current))
            {
                if (Int() < min)
                {
                    throw Error("the maximum repetition count is below the minimum");
                }

                Space(nested);
            }

            if (Current != '}')
            {
                throw Error("expecting '}'");
            }

            _pos++;
            Space(nested);
        }

        private long Int()
        {
            var start = _pos;
            while (char.IsAsciiDigit(Current))
            {
                _pos++;
            }

            if (_pos == start)
            {
                throw Error("expecting an integer");
            }

            return long.TryParse(text.AsSpan(start, _pos - start), out var value) ? value : long.MaxValue;
        }

        /// <summary><c>&lt;[123]&gt;</c> or <c>&lt;text&gt;</c>, optionally negated with '!': the text itself is the vocabulary's business.</summary>
        private void Token()
        {
            if (Current == '!')
            {
                _pos++;
            }

            if (Current != '<')
            {
                throw Error("expecting '<'");
            }

            var close = text.IndexOf('>', _pos + 1);
            if (close < 0)
            {
                throw Error("expecting '>'");
            }

            if (Next == '[' && (text[close - 1] != ']' || close - 1 <= _pos + 2 || text.AsSpan(_pos + 2, close - _pos - 3).ContainsAnyExcept(AsciiDigits)))
            {
                throw Error("expecting a token id as <[123]>");
            }

            _pos = close + 1;
        }

        private void Char()
        {
            if (_pos >= text.Length)
            {
                throw Error("unexpected end of input");
            }

            if (Current != '\\')
            {
                _pos++;
                return;
            }

            var hex = Next switch
            {
                'x' => 2,
                'u' => 4,
                'U' => 8,
                't' or 'r' or 'n' or '\\' or '"' or '[' or ']' or '-' => 0,
                _ => throw Error("unknown escape"),
            };
            _pos += 2;
            for (var i = 0; i < hex; i++, _pos++)
            {
                if (!char.IsAsciiHexDigit(Current))
                {
                    throw Error($"expecting {hex} hex digits");
                }
            }
        }

        private string Name()
        {
            var start = _pos;
            while (IsWordChar(Current))
            {
                _pos++;
            }

            return _pos > start ? text[start.._pos] : throw Error("expecting a rule name");
        }

        private void Space(bool newlineOk)
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '#')
                {
                    while (_pos < text.Length && text[_pos] is not ('\r' or '\n'))
                    {
                        _pos++;
                    }
                }
                else if (c is ' ' or '\t' || (newlineOk && c is '\r' or '\n'))
                {
                    _pos++;
                }
                else
                {
                    break;
                }
            }
        }

        private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

        private GbnfSyntaxException Error(string message)
        {
            var line = 1;
            var column = 1;
            for (var i = 0; i < _pos && i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }

            return new GbnfSyntaxException($"line {line}, column {column}: {message}");
        }
    }
}
