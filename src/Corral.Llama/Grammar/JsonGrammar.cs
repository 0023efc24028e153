namespace Corral.Llama.Grammar;

/// <summary>Grammars for unconstrained JSON (<c>"format": "json"</c>).</summary>
public static class JsonGrammar
{
    private static readonly Lazy<string> AnyJsonObject = new(() =>
    {
        var rules = new GbnfRuleSet();
        rules.Shared("root", "object");
        JsonPrimitives.Value(rules);
        return rules.ToString();
    });

    /// <summary>
    /// GBNF for any JSON object (Ollama's <c>format: "json"</c> answers an object at the top level).
    /// No whitespace after the closing brace, so the grammar completes there and only end-of-generation remains.
    /// </summary>
    public static string ForAnyJson() => AnyJsonObject.Value;
}
