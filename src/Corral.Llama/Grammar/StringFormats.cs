namespace Corral.Llama.Grammar;

/// <summary>GBNF for the string formats the converter enforces (the content between the quotes).</summary>
internal static class StringFormats
{
    public static bool IsSupported(string format) => format is "date" or "time" or "date-time" or "uuid" or "email";

    public static string Content(GbnfRuleSet rules, string format) => format switch
    {
        "date" => Date(rules),
        "time" => Time(rules),
        "date-time" => rules.Shared("date-time", $"{Date(rules)} \"T\" {Time(rules)}"),
        "uuid" => rules.Shared("uuid",
            "[0-9a-fA-F]{8} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{12}"),
        "email" => Email(rules),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    // Days are limited per month (Feb up to 29: leap years are not checked).
    private static string Date(GbnfRuleSet rules) => rules.Shared("date",
        "[0-9]{4} \"-\" ( ( \"0\" [13578] | \"1\" [02] ) \"-\" ( \"0\" [1-9] | [12] [0-9] | \"3\" [01] )"
        + " | ( \"0\" [469] | \"11\" ) \"-\" ( \"0\" [1-9] | [12] [0-9] | \"30\" )"
        + " | \"02\" \"-\" ( \"0\" [1-9] | \"1\" [0-9] | \"2\" [0-9] ) )");

    // RFC 3339 full-time: the offset is required.
    private static string Time(GbnfRuleSet rules) => rules.Shared("time",
        "( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] \":\" [0-5] [0-9] ( \".\" [0-9]{1,6} )?"
        + " ( \"Z\" | [+\\-] ( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] )");

    // A practical subset of RFC 5321 addresses: dot-atoms on both sides, a letters-only top-level domain.
    private static string Email(GbnfRuleSet rules)
    {
        var atom = rules.Shared("email-atom", "[A-Za-z0-9_%+\\-]{1,24}");
        var label = rules.Shared("email-label", "[A-Za-z0-9]{1,24} ( \"-\" [A-Za-z0-9]{1,24} )?");
        return rules.Shared("email",
            $"{atom} ( \".\" {atom} ){{0,3}} \"@\" {label} ( \".\" {label} ){{0,3}} \".\" [A-Za-z]{{2,12}}");
    }
}
