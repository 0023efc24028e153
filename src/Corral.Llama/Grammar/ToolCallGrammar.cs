using System.Text.Json;

namespace Corral.Llama.Grammar;

/// <summary>
/// A grammar that admits only tool calls, for a request that must call a tool (OpenAI
/// <c>tool_choice: "required"</c> or a named function, Anthropic <c>any</c>/<c>tool</c>). Each call is a
/// JSON document valid against <c>callSchema</c>, written the way the model's template writes calls:
/// after the open tag (and before the close tag) when the template has them, bare otherwise; a single
/// call or an array of calls (Mistral writes <c>[TOOL_CALLS][{...}]</c>); one or more in a row.
/// </summary>
public static class ToolCallGrammar
{
    /// <param name="callSchema">Schema of one call, typically <c>anyOf</c> over {"name": const, "arguments": parameters}.</param>
    /// <param name="openTag">Text before a call (e.g. <c>&lt;tool_call&gt;</c>), or null for bare JSON.</param>
    /// <param name="closeTag">Text after a call, or null.</param>
    /// <param name="openTagOptional">The model may also write bare JSON without the tag (Llama 3's <c>&lt;|python_tag|&gt;</c>).</param>
    /// <exception cref="JsonSchemaNotSupportedException">A tool's parameters use something the converter cannot enforce.</exception>
    /// <param name="allowSeveral">Allow more calls after the first (in an array, or one block after another); false: exactly one call.</param>
    public static string Convert(JsonElement callSchema, string? openTag, string? closeTag, bool openTagOptional, bool allowSeveral)
    {
        return SchemaConverter.ConvertFramed(callSchema, (call, ws) =>
        {
            var payload = allowSeveral
                ? $"( {call} | \"[\" {ws} {call} ( {ws} \",\" {ws} {call} )* {ws} \"]\" )"
                : $"( {call} | \"[\" {ws} {call} {ws} \"]\" )";
            var one = payload;
            if (openTag is not null)
            {
                var open = Gbnf.Literal(openTag) + (openTagOptional ? "?" : string.Empty);
                one = $"{open} {ws} {payload}";
                if (closeTag is not null)
                {
                    one += $" {ws} {Gbnf.Literal(closeTag)}";
                }
            }

            return allowSeveral ? $"( {one} ) ( {ws} ( {one} ) )*" : one;
        });
    }
}
