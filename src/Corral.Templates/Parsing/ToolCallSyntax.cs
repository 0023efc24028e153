namespace Corral.Templates.Parsing;

/// <summary>
/// Infers from a chat template how the model writes tool calls, the way Ollama does: the literal text the template
/// puts before an assistant's tool calls is the marker the model was trained to emit; with no such text the calls
/// are bare JSON.
/// </summary>
public static class ToolCallSyntax
{
    private static readonly (string Open, string? Close)[] KnownMarkers =
    [
        ("<tool_call>", "</tool_call>"),
        ("[TOOL_CALLS]", null),
        ("<|python_tag|>", null),
        ("<function_calls>", "</function_calls>"),
        ("<|tool_call|>", null),
    ];

    /// <summary>Options for an Ollama (Go) template: the text right after <c>{{ if .ToolCalls }}</c>.</summary>
    public static OutputParserOptions FromGoTemplate(string source, OutputParserOptions baseOptions)
    {
        var at = source.IndexOf(".ToolCalls", StringComparison.Ordinal);
        if (at < 0)
        {
            return baseOptions;
        }

        var actionEnd = source.IndexOf("}}", at, StringComparison.Ordinal);
        if (actionEnd < 0)
        {
            return baseOptions;
        }

        var textEnd = source.IndexOf("{{", actionEnd + 2, StringComparison.Ordinal);
        var text = source[(actionEnd + 2)..(textEnd < 0 ? source.Length : textEnd)].Trim().TrimEnd('[', '{').Trim();
        if (text.Length == 0)
        {
            return baseOptions with { ToolCallOpenTag = null, ToolCallCloseTag = null, BareJsonToolCalls = true };
        }

        var close = KnownMarkers.FirstOrDefault(m => m.Open == text).Close;
        if (close is null && text.StartsWith('<') && text.EndsWith('>') && !text.StartsWith("<|", StringComparison.Ordinal))
        {
            var guess = "</" + text[1..];
            close = source.Contains(guess, StringComparison.Ordinal) ? guess : null;
        }

        return baseOptions with { ToolCallOpenTag = text, ToolCallCloseTag = close, BareJsonToolCalls = false };
    }

    /// <summary>Options for a GGUF's Jinja chat template: a known marker it mentions, else bare JSON.</summary>
    public static OutputParserOptions FromJinjaTemplate(string source, OutputParserOptions baseOptions)
    {
        foreach (var (open, close) in KnownMarkers)
        {
            if (source.Contains(open, StringComparison.Ordinal))
            {
                // Llama 3.x emits either <|python_tag|>{...} or bare {...}.
                var bare = open == "<|python_tag|>";
                return baseOptions with { ToolCallOpenTag = open, ToolCallCloseTag = close, BareJsonToolCalls = bare };
            }
        }

        var mentionsTools = source.Contains("tool_calls", StringComparison.Ordinal) || source.Contains("tools", StringComparison.Ordinal);
        return mentionsTools ? baseOptions with { ToolCallOpenTag = null, ToolCallCloseTag = null, BareJsonToolCalls = true } : baseOptions;
    }
}
