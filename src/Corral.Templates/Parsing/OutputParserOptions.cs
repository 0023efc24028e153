namespace Corral.Templates.Parsing;

/// <summary>How a model marks thinking and tool calls in its output.</summary>
public sealed record OutputParserOptions
{
    /// <summary>Split thinking from content. Off: everything is content, tags included (think=false).</summary>
    public bool ParseThinking { get; init; }

    public string ThinkingOpenTag { get; init; } = "<think>";

    public string ThinkingCloseTag { get; init; } = "</think>";

    /// <summary>The prompt already opened the thinking block (Qwen3, DeepSeek-R1): output starts inside thinking.</summary>
    public bool StartInThinking { get; init; }

    /// <summary>Text that announces tool calls ("&lt;tool_call&gt;", "[TOOL_CALLS]", "&lt;|python_tag|&gt;"); null: none.</summary>
    public string? ToolCallOpenTag { get; init; }

    /// <summary>Text that ends one tool call ("&lt;/tool_call&gt;"), or null when the JSON itself ends it.</summary>
    public string? ToolCallCloseTag { get; init; }

    /// <summary>A response that starts with '{' or '[' is a tool call (templates that emit bare JSON calls).</summary>
    public bool BareJsonToolCalls { get; init; }

    /// <summary>Names of the request's tools; a call to another name is not a call (it stays content). Null: any.</summary>
    public IReadOnlySet<string>? ToolNames { get; init; }

    /// <summary>Whether any tool-call syntax is configured (requests without tools should leave it off).</summary>
    public bool ParsesToolCalls => ToolCallOpenTag is not null || BareJsonToolCalls;

    public static readonly OutputParserOptions PassThrough = new();

    /// <summary>True when a rendered prompt ends inside an opened thinking block ("...&lt;think&gt;\n").</summary>
    public static bool PromptOpensThinking(string prompt, string openTag = "<think>", string closeTag = "</think>")
    {
        var open = prompt.LastIndexOf(openTag, StringComparison.Ordinal);
        return open >= 0 && prompt.IndexOf(closeTag, open, StringComparison.Ordinal) < 0 && prompt.AsSpan(open + openTag.Length).IsWhiteSpace();
    }
}
