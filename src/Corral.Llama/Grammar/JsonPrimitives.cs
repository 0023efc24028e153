namespace Corral.Llama.Grammar;

/// <summary>
/// Shared GBNF rules for plain JSON values. Whitespace and digit runs are bounded so that a model
/// cannot loop forever on spaces or digits inside a constrained answer.
/// </summary>
internal static class JsonPrimitives
{
    /// <summary>Optional whitespace: nothing, one space, or a newline with up to 20 indentation characters.</summary>
    public const string WsBody = "| \" \" | \"\\n\" [ \\t]{0,20}";

    // No lone or paired surrogates in \u escapes: a lone one is not valid Unicode, and characters
    // outside the BMP can still be written raw.
    private const string CharBody =
        "[^\"\\\\\\x7F\\x00-\\x1F] | \"\\\\\" ( [\"\\\\/bfnrt] | \"u\" ( [0-9a-cA-Ce-fE-F] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2} ) )";

    private const string IntegralBody = "\"0\" | [1-9] [0-9]{0,15}";

    public static string Ws(GbnfRuleSet rules) => rules.Shared("ws", WsBody);

    /// <summary>One character of a JSON string's content (raw or escaped).</summary>
    public static string Char(GbnfRuleSet rules) => rules.Shared("char", CharBody);

    public static string String(GbnfRuleSet rules) => rules.Shared("string", $"\"\\\"\" {Char(rules)}* \"\\\"\"");

    public static string Integral(GbnfRuleSet rules) => rules.Shared("integral", IntegralBody);

    public static string Integer(GbnfRuleSet rules) => rules.Shared("integer", $"\"-\"? {Integral(rules)}");

    public static string Number(GbnfRuleSet rules) =>
        rules.Shared("number", $"\"-\"? {Integral(rules)} ( \".\" [0-9]{{1,16}} )? ( [eE] [-+]? [0-9]{{1,3}} )?");

    public static string Boolean(GbnfRuleSet rules) => rules.Shared("boolean", "\"true\" | \"false\"");

    public static string Null(GbnfRuleSet rules) => rules.Shared("null", "\"null\"");

    /// <summary>Any JSON value (recursive through <c>object</c> and <c>array</c>).</summary>
    public static string Value(GbnfRuleSet rules)
    {
        if (rules.Contains("value"))
        {
            return "value";
        }

        rules.Shared("value", "object | array | string | number | boolean | null");
        var ws = Ws(rules);
        var str = String(rules);
        rules.Shared("member", $"{str} \":\" {ws} value");
        rules.Shared("object", $"\"{{\" {ws} ( member ( \",\" {ws} member )* {ws} )? \"}}\"");
        rules.Shared("array", $"\"[\" {ws} ( value ( \",\" {ws} value )* {ws} )? \"]\"");
        Number(rules);
        Boolean(rules);
        Null(rules);
        return "value";
    }

    public static string Object(GbnfRuleSet rules)
    {
        Value(rules);
        return "object";
    }

    public static string Array(GbnfRuleSet rules)
    {
        Value(rules);
        return "array";
    }
}
