namespace Corral.Llama.Grammar;

/// <summary>A set of code points as inclusive ranges, possibly negated (a regex character class).</summary>
internal sealed class CharSet
{
    public static readonly (int From, int To)[] Digits = [('0', '9')];
    public static readonly (int From, int To)[] WordChars = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
    public static readonly (int From, int To)[] Spaces = [('\t', '\n'), ('\r', '\r'), (' ', ' ')];

    public List<(int From, int To)> Ranges { get; } = [];

    public bool Negated { get; set; }

    public static CharSet Of(IEnumerable<(int From, int To)> ranges, bool negated = false)
    {
        var set = new CharSet { Negated = negated };
        set.Ranges.AddRange(ranges);
        return set;
    }

    /// <summary>
    /// GBNF for one character of this set as it appears inside a JSON string: quote, backslash and
    /// control characters are written as JSON escapes. A negated set never produces those (a subset of
    /// what the regex allows, so the output still matches).
    /// </summary>
    public string ToJsonContentGbnf()
    {
        if (Negated)
        {
            var excluded = new List<(int From, int To)>(Ranges) { (0, 0x1F), ('"', '"'), ('\\', '\\'), (0x7F, 0x7F) };
            return Gbnf.CharClass(excluded, negated: true);
        }

        var plain = new List<(int From, int To)>();
        var escapes = new List<string>();
        foreach (var (from, to) in Ranges)
        {
            for (var special = from; special <= Math.Min(to, 0x1F); special++)
            {
                AddEscape(escapes, special);
            }

            var start = Math.Max(from, 0x20);
            foreach (var c in (ReadOnlySpan<int>)['"', '\\'])
            {
                if (c >= start && c <= to)
                {
                    AddEscape(escapes, c);
                    if (c > start)
                    {
                        plain.Add((start, c - 1));
                    }

                    start = c + 1;
                }
            }

            if (start <= to)
            {
                plain.Add((start, to));
            }
        }

        var alternatives = new List<string>();
        if (plain.Count > 0)
        {
            alternatives.Add(Gbnf.CharClass(plain));
        }

        alternatives.AddRange(escapes.Distinct());
        if (alternatives.Count == 0)
        {
            throw new JsonSchemaNotSupportedException("pattern", "The pattern has an empty character class.");
        }

        return alternatives.Count == 1 ? alternatives[0] : $"( {string.Join(" | ", alternatives)} )";
    }

    private static void AddEscape(List<string> escapes, int c)
    {
        var escaped = c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => $"\\u{c:X4}",
        };
        escapes.Add(Gbnf.Literal(escaped));
    }
}
