using System.Globalization;
using System.Text;

namespace Corral.Llama.Grammar;

/// <summary>
/// Converts a JSON Schema <c>pattern</c> (an ECMA-262 regex subset) to a GBNF expression for the
/// content of a JSON string. Supported: literals, escapes (\d \w \s \D \W \S, \t \n \r \f \v \0,
/// \xHH, \uHHHH, escaped punctuation), <c>.</c>, classes with ranges and negation, groups
/// (capturing, <c>(?:)</c>, named), alternation, <c>? * + {n} {n,} {n,m}</c> (lazy forms too), and
/// <c>^</c>/<c>$</c> at the ends. The whole string is matched: an unanchored pattern also allows
/// surrounding text, so the output stays valid. Anything else throws <see cref="JsonSchemaNotSupportedException"/>.
/// </summary>
internal sealed class RegexGrammar
{
    private readonly string _pattern;
    private readonly GbnfRuleSet _rules;
    private readonly string _name;
    private int _pos;
    private int _end;

    private RegexGrammar(string pattern, GbnfRuleSet rules, string name)
    {
        _pattern = pattern;
        _rules = rules;
        _name = name;
    }

    /// <summary>The GBNF expression matching the string content (without the quotes).</summary>
    public static string Convert(string pattern, GbnfRuleSet rules, string name)
    {
        var parser = new RegexGrammar(pattern, rules, name);
        return parser.ParseWhole();
    }

    private string ParseWhole()
    {
        _end = _pattern.Length;
        if (_pos < _end && _pattern[_pos] == '^')
        {
            _pos++;
        }

        if (_end > _pos && _pattern[_end - 1] == '$' && !IsEscaped(_end - 1))
        {
            _end--;
        }

        var expression = ParseAlternation();
        if (_pos < _end)
        {
            throw Unsupported($"unbalanced ')' at position {_pos}");
        }

        return expression.Length == 0 ? "\"\"" : expression;
    }

    private bool IsEscaped(int index)
    {
        var backslashes = 0;
        for (var i = index - 1; i >= 0 && _pattern[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private string ParseAlternation()
    {
        var alternatives = new List<string> { ParseSequence() };
        while (_pos < _end && _pattern[_pos] == '|')
        {
            _pos++;
            alternatives.Add(ParseSequence());
        }

        if (alternatives.Count == 1)
        {
            return alternatives[0];
        }

        return "( " + string.Join(" | ", alternatives.Select(a => a.Length == 0 ? "\"\"" : a)) + " )";
    }

    private string ParseSequence()
    {
        var items = new List<string>();
        var pendingLiteral = new StringBuilder();
        while (_pos < _end && _pattern[_pos] is not ('|' or ')'))
        {
            var (atom, literal) = ParseAtom();
            var quantifier = ParseQuantifier();
            if (literal is not null && quantifier.Length == 0)
            {
                pendingLiteral.Append(literal);
                continue;
            }

            FlushLiteral(items, pendingLiteral);
            items.Add(quantifier.Length == 0 ? atom : Quantify(atom, quantifier));
        }

        FlushLiteral(items, pendingLiteral);
        return string.Join(" ", items);
    }

    private static void FlushLiteral(List<string> items, StringBuilder pending)
    {
        if (pending.Length > 0)
        {
            items.Add(Gbnf.Literal(pending.ToString()));
            pending.Clear();
        }
    }

    // Repeating a compound expression many times multiplies llama.cpp's internal rules, so anything
    // that is not a single symbol is given its own rule first.
    private string Quantify(string atom, string quantifier)
    {
        var single = !atom.Contains(' ') || (atom.StartsWith('[') && atom.EndsWith(']'));
        var operand = single ? atom : _rules.Add(_name + "-part", atom);
        return operand + quantifier;
    }

    /// <summary>Returns the GBNF atom, and the JSON-escaped text when the atom is one literal character.</summary>
    private (string Atom, string? Literal) ParseAtom()
    {
        var c = _pattern[_pos];
        switch (c)
        {
            case '(':
                return (ParseGroup(), null);
            case '[':
                return (ParseClass().ToJsonContentGbnf(), null);
            case '.':
                _pos++;
                return (CharSet.Of([('\n', '\n'), ('\r', '\r'), (0x2028, 0x2029)], negated: true).ToJsonContentGbnf(), null);
            case '\\':
                return ParseEscapeAtom();
            case '^' or '$':
                throw Unsupported($"anchor '{c}' inside the pattern");
            case '*' or '+' or '?' or '{':
                throw Unsupported($"quantifier '{c}' with nothing to repeat at position {_pos}");
            default:
                var rune = Rune.GetRuneAt(_pattern, _pos);
                _pos += rune.Utf16SequenceLength;
                return LiteralAtom(rune.Value);
        }
    }

    private static (string Atom, string? Literal) LiteralAtom(int codePoint)
    {
        var escaped = JsonEscape(codePoint);
        return (Gbnf.Literal(escaped), escaped);
    }

    private static string JsonEscape(int c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\b' => "\\b",
        '\f' => "\\f",
        < 0x20 => $"\\u{c:X4}",
        _ => char.ConvertFromUtf32(c),
    };

    private string ParseGroup()
    {
        _pos++; // (
        if (_pos < _end && _pattern[_pos] == '?')
        {
            if (_pos + 1 < _end && _pattern[_pos + 1] == ':')
            {
                _pos += 2;
            }
            else if (_pos + 2 < _end && _pattern[_pos + 1] == '<' && _pattern[_pos + 2] is not ('=' or '!'))
            {
                var close = _pattern.IndexOf('>', _pos);
                if (close < 0)
                {
                    throw Unsupported("unterminated group name");
                }

                _pos = close + 1;
            }
            else
            {
                throw Unsupported("lookaround assertions");
            }
        }

        var inner = ParseAlternation();
        if (_pos >= _end || _pattern[_pos] != ')')
        {
            throw Unsupported("unbalanced '('");
        }

        _pos++;
        return inner.Length == 0 ? "\"\"" : inner.StartsWith("( ", StringComparison.Ordinal) && IsOneGroup(inner) ? inner : $"( {inner} )";
    }

    // True when the expression is a single parenthesised group (so no extra parentheses are needed).
    private static bool IsOneGroup(string expression)
    {
        var depth = 0;
        var inQuotes = false;
        var inClass = false;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (inQuotes)
            {
                inQuotes = c != '"';
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            switch (c)
            {
                case '"': inQuotes = true; break;
                case '[': inClass = true; break;
                case '(': depth++; break;
                case ')':
                    depth--;
                    if (depth == 0 && i != expression.Length - 1)
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    private string ParseQuantifier()
    {
        if (_pos >= _end)
        {
            return string.Empty;
        }

        string quantifier;
        switch (_pattern[_pos])
        {
            case '?' or '*' or '+':
                quantifier = _pattern[_pos].ToString();
                _pos++;
                break;
            case '{':
                var close = _pattern.IndexOf('}', _pos);
                if (close < 0 || close > _end)
                {
                    throw Unsupported("unterminated '{' quantifier");
                }

                var body = _pattern[(_pos + 1)..close];
                var parts = body.Split(',');
                if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min))
                {
                    throw Unsupported($"quantifier '{{{body}}}'");
                }

                int? max = min;
                if (parts.Length == 2)
                {
                    max = parts[1].Length == 0 ? null
                        : int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m
                        : throw Unsupported($"quantifier '{{{body}}}'");
                }

                if (max < min)
                {
                    throw Unsupported($"quantifier '{{{body}}}' with max below min");
                }

                if (min > 1000 || max > 1000)
                {
                    throw Unsupported($"quantifier '{{{body}}}' above 1000 repetitions");
                }

                quantifier = max is null ? $"{{{min},}}" : max == min ? $"{{{min}}}" : $"{{{min},{max}}}";
                _pos = close + 1;
                break;
            default:
                return string.Empty;
        }

        if (_pos < _end && _pattern[_pos] == '?')
        {
            _pos++; // lazy: matches the same strings
        }
        else if (_pos < _end && _pattern[_pos] == '+')
        {
            throw Unsupported("possessive quantifiers");
        }

        return quantifier;
    }

    private (string Atom, string? Literal) ParseEscapeAtom()
    {
        if (_pos + 1 >= _end)
        {
            throw Unsupported("trailing backslash");
        }

        var c = _pattern[_pos + 1];
        var shorthand = Shorthand(c);
        if (shorthand is not null)
        {
            _pos += 2;
            return (shorthand.ToJsonContentGbnf(), null);
        }

        return LiteralAtom(ParseEscapedChar());
    }

    private static CharSet? Shorthand(char c) => c switch
    {
        'd' => CharSet.Of(CharSet.Digits),
        'D' => CharSet.Of(CharSet.Digits, negated: true),
        'w' => CharSet.Of(CharSet.WordChars),
        'W' => CharSet.Of(CharSet.WordChars, negated: true),
        's' => CharSet.Of(CharSet.Spaces),
        'S' => CharSet.Of(CharSet.Spaces, negated: true),
        _ => null,
    };

    /// <summary>Parses an escape (at the backslash) standing for one character.</summary>
    private int ParseEscapedChar()
    {
        if (_pos + 1 >= _end)
        {
            throw Unsupported("trailing backslash"); // "[a\\" ends inside a class; ParseEscapeAtom checks its own
        }

        var c = _pattern[_pos + 1];
        _pos += 2;
        switch (c)
        {
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'f': return '\f';
            case 'v': return '\v';
            case '0': return 0;
            case 'x': return ParseHex(2);
            case 'u': return ParseHex(4);
            case 'b' or 'B': throw Unsupported("word boundaries (\\b, \\B)");
            case >= '1' and <= '9': throw Unsupported("backreferences");
            case 'p' or 'P': throw Unsupported("Unicode property escapes");
            case 'k': throw Unsupported("named backreferences");
            case 'c': throw Unsupported("control escapes (\\c)");
        }

        if (char.IsAsciiLetterOrDigit(c))
        {
            throw Unsupported($"escape '\\{c}'");
        }

        return c;
    }

    private int ParseHex(int digits)
    {
        if (_pos + digits > _end
            || !int.TryParse(_pattern.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw Unsupported("malformed hex escape");
        }

        _pos += digits;
        return value;
    }

    private CharSet ParseClass()
    {
        _pos++; // [
        var set = new CharSet();
        if (_pos < _end && _pattern[_pos] == '^')
        {
            set.Negated = true;
            _pos++;
        }

        while (_pos < _end && _pattern[_pos] != ']')
        {
            int low;
            if (_pattern[_pos] == '\\' && _pos + 1 < _end && Shorthand(_pattern[_pos + 1]) is { } shorthand)
            {
                if (shorthand.Negated)
                {
                    throw Unsupported($"'\\{_pattern[_pos + 1]}' inside a character class");
                }

                set.Ranges.AddRange(shorthand.Ranges);
                _pos += 2;
                continue;
            }

            low = ClassChar();
            if (_pos + 1 < _end && _pattern[_pos] == '-' && _pattern[_pos + 1] != ']')
            {
                _pos++;
                var high = ClassChar();
                if (high < low)
                {
                    throw Unsupported("a character range out of order");
                }

                set.Ranges.Add((low, high));
            }
            else
            {
                set.Ranges.Add((low, low));
            }
        }

        if (_pos >= _end)
        {
            throw Unsupported("unterminated character class");
        }

        _pos++; // ]
        set.Ranges.Sort();
        return set;
    }

    private int ClassChar()
    {
        if (_pattern[_pos] == '\\')
        {
            if (_pos + 1 < _end && _pattern[_pos + 1] == 'b')
            {
                _pos += 2;
                return '\b';
            }

            return ParseEscapedChar();
        }

        var rune = Rune.GetRuneAt(_pattern, _pos);
        _pos += rune.Utf16SequenceLength;
        return rune.Value;
    }

    private JsonSchemaNotSupportedException Unsupported(string feature) =>
        new("pattern", $"The schema's pattern '{_pattern}' uses {feature}, which cannot be turned into a grammar.");
}
