namespace Corral.Llama.Grammar;

/// <summary>
/// Bounded repetition of one grammar symbol. llama.cpp expands <c>x{m,n}</c> into about n rules and
/// refuses more than 2000, so large bounds are built from blocks of 1000.
/// </summary>
internal static class GbnfRepetition
{
    private const int Block = 1000;

    /// <summary><paramref name="symbol"/> repeated [min, max] times (max null = unbounded); symbol must be one GBNF symbol.</summary>
    public static string Repeat(GbnfRuleSet rules, string symbol, int min, int? max)
    {
        if (max is { } m && m < min)
        {
            throw new ArgumentOutOfRangeException(nameof(max));
        }

        if (min <= Block && (max is null || max <= Block))
        {
            return Small(symbol, min, max);
        }

        var block = rules.Add(symbol + "-x1000", $"{symbol}{{{Block}}}");
        if (min > Block)
        {
            // x{min,max} = (x{1000}){q} x{r,...}: peel whole blocks off the minimum.
            var q = min / Block;
            var rest = Repeat(rules, symbol, min - (q * Block), max - (q * Block));
            return $"{Small(block, q, q)} {rest}".Trim();
        }

        // min <= 1000 < max: x{min} x{0,n} with n = 1000q + r.
        var n = max!.Value - min;
        var blocks = n / Block;
        var remainder = n % Block;
        if (blocks > 2 * Block)
        {
            // Beyond what the grammar can count cheaply; no model writes this much anyway.
            return $"{Small(symbol, min, min)} {symbol}*".Trim();
        }

        var upTo = blocks == 0 ? Small(symbol, 0, remainder)
            : $"( {Small(block, 0, blocks - 1)} {Small(symbol, 0, Block)} | {Small(block, blocks, blocks)} {Small(symbol, 0, remainder)} )";
        return $"{Small(symbol, min, min)} {upTo}".Trim();
    }

    private static string Small(string symbol, int min, int? max) => (min, max) switch
    {
        (_, 0) => string.Empty,
        (0, 1) => symbol + "?",
        (0, null) => symbol + "*",
        (1, null) => symbol + "+",
        (1, 1) => symbol,
        (_, null) => $"{symbol}{{{min},}}",
        _ when min == max => $"{symbol}{{{min}}}",
        _ => $"{symbol}{{{min},{max}}}",
    };
}
