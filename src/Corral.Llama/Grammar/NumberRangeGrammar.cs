using System.Globalization;

namespace Corral.Llama.Grammar;

/// <summary>
/// GBNF for JSON numbers within integer-valued bounds (inclusive or exclusive), written without an
/// exponent: the integer part is range-limited digit by digit and the fraction is checked at the edges
/// (e.g. x &lt;= 3 allows "3" or "3.00" but not "3.5"; x &gt; 0 allows "0.25" but not "0.0").
/// </summary>
internal static class NumberRangeGrammar
{
    private const string AnyFraction = "( \".\" [0-9]{1,16} )?";
    private const string ZeroFraction = "( \".\" \"0\"{1,16} )?";
    private const string NonZeroFraction = "\".\" [0-9]{0,15} [1-9]";

    public static string Build(GbnfRuleSet rules, decimal? min, bool minExclusive, decimal? max, bool maxExclusive)
    {
        long? low = ToInteger(min, "minimum");
        long? high = ToInteger(max, "maximum");
        if (low is { } a && high is { } b && (a > b || (a == b && (minExclusive || maxExclusive))))
        {
            throw new JsonSchemaNotSupportedException("minimum", $"The number bounds allow no value.");
        }

        var alternatives = new List<string>();
        // x >= 0 (or above a non-negative minimum).
        if (high is not { } hi || hi > 0 || (hi == 0 && !maxExclusive))
        {
            var (from, fromExclusive) = low is { } lo && lo >= 0 ? (lo, minExclusive) : (0L, false);
            alternatives.Add(Magnitude(from, fromExclusive, high, maxExclusive));
        }

        // x < 0: "-" and a magnitude above 0 (or above -maximum) and up to -minimum.
        if (low is not { } l || l < 0)
        {
            var (from, fromExclusive) = high is { } h && h < 0 ? (-h, maxExclusive) : (0L, true);
            alternatives.Add($"\"-\" ( {Magnitude(from, fromExclusive, -low, minExclusive)} )");
        }

        return rules.Add("number-range", string.Join(" | ", alternatives));
    }

    /// <summary>Non-negative numbers between <paramref name="from"/> and <paramref name="to"/> (null: no upper bound).</summary>
    private static string Magnitude(long from, bool fromExclusive, long? to, bool toExclusive)
    {
        var parts = new List<string>();
        var start = from;
        if (fromExclusive)
        {
            if (to is null || from < to)
            {
                parts.Add($"\"{from.ToString(CultureInfo.InvariantCulture)}\" {NonZeroFraction}");
            }

            start = from + 1;
        }

        long? end = to - 1;
        if (end is null || start <= end)
        {
            parts.Add($"( {IntegerRangeGrammar.Build(start, end)} ) {AnyFraction}");
        }

        if (to is { } t && !toExclusive && t >= start)
        {
            parts.Add($"\"{t.ToString(CultureInfo.InvariantCulture)}\" {ZeroFraction}");
        }

        return string.Join(" | ", parts);
    }

    private static long? ToInteger(decimal? bound, string keyword)
    {
        if (bound is not { } value)
        {
            return null;
        }

        if (value != decimal.Truncate(value))
        {
            throw new JsonSchemaNotSupportedException(keyword,
                $"Only whole-number bounds are supported on 'number' (got {value.ToString(CultureInfo.InvariantCulture)}).");
        }

        return value >= IntegerRangeGrammar.Unbounded ? null
            : value <= -IntegerRangeGrammar.Unbounded ? null
            : (long)value;
    }
}
