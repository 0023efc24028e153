namespace Corral.TestModels;

/// <summary>
/// The hand-built "tool caller" model: the successor model (<see cref="SuccessorModel"/>) plus five extra tokens
/// that spell one Hermes-style tool call. Greedy output still follows the last token only:
/// <list type="bullet">
/// <item>the merged "\n\n" token (how <see cref="Template"/>'s assistant header ends) → the call script
/// <see cref="ScriptPieces"/>, one token each, then &lt;|eot_id|&gt;: the model answers <see cref="ScriptText"/>;</item>
/// <item>after a tool result the template ends the assistant header with a single "\n", which (like every other
/// token) follows the successor model: the model answers <see cref="AnswerAfterToolResult"/>.</item>
/// </list>
/// The script tokens have no BPE merges, so no prompt text ever tokenizes to them (they are reachable only by
/// generation), but they detokenize to their text.
/// </summary>
public static class ToolCallerModel
{
    /// <summary>The called tool's name.</summary>
    public const string ToolName = "get_weather";

    /// <summary>The call's only argument name and value.</summary>
    public const string ArgumentName = "city";

    public const string ArgumentValue = "Paris";

    /// <summary>The call's arguments as compact JSON.</summary>
    public const string ArgumentsJson = """{"city":"Paris"}""";

    /// <summary>The generated pieces, one token each, in order.</summary>
    public static IReadOnlyList<string> ScriptPieces { get; } =
    [
        "<tool_call>\n",
        "{\"name\": \"get_weather\", ",
        "\"arguments\": {\"city\": ",
        "\"Paris\"}}",
        "\n</tool_call>",
    ];

    /// <summary>The raw output after a user turn (what stays content when tool calls are not parsed).</summary>
    public static string ScriptText { get; } = string.Concat(ScriptPieces);

    /// <summary>Tokens generated for the call (eval_count); the end-of-turn token is not counted.</summary>
    public static int ScriptTokenCount => ScriptPieces.Count;

    /// <summary>The answer when the last message is a tool result.</summary>
    public const string AnswerAfterToolResult = SuccessorModel.Alphabet;

    /// <summary>
    /// An Ollama (Go) template in Llama-3 shape with tools: the tools as JSON in a system turn, assistant tool calls
    /// as &lt;tool_call&gt; blocks (so Corral derives the markers from it), tool results in a "tool" turn. The
    /// assistant header ends in "\n\n" (→ the tool call) except after a tool result, where it ends in "\n" (→ text).
    /// </summary>
    public const string Template =
        "{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}"
        + "{{- if .Tools }}<|start_header_id|>system<|end_header_id|>\n\nTools:"
        + "{{- range .Tools }}\n{{ json .Function }}{{- end }}"
        + "\nCall a tool as <tool_call>{\"name\": ..., \"arguments\": {...}}</tool_call>.<|eot_id|>{{ end }}"
        + "{{- range $i, $_ := .Messages }}"
        + "{{- $last := eq (len (slice $.Messages $i)) 1 }}"
        + "{{- if eq .Role \"assistant\" }}<|start_header_id|>assistant<|end_header_id|>\n\n{{ .Content }}"
        + "{{- if .ToolCalls }}<tool_call>\n{{ range .ToolCalls }}{\"name\": \"{{ .Function.Name }}\", \"arguments\": {{ json .Function.Arguments }}}\n{{ end }}</tool_call>{{ end }}"
        + "{{- if not $last }}<|eot_id|>{{ end }}"
        + "{{- else if eq .Role \"tool\" }}<|start_header_id|>tool<|end_header_id|>\n\n{{ .Content }}<|eot_id|>"
        + "{{- else if ne .Role \"system\" }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}"
        + "{{- if and $last (ne .Role \"assistant\") }}<|start_header_id|>assistant<|end_header_id|>\n{{ if ne .Role \"tool\" }}\n{{ end }}{{ end }}"
        + "{{- end }}";

    public static ByteLevelBpeVocab Vocab { get; } = SuccessorModel.Vocab.WithNormalTokens(ScriptPieces);

    /// <summary>Id of the merged "\n\n" token that starts the call.</summary>
    public static int TriggerId { get; } = Vocab.IdOf("\n\n");

    /// <summary>Ids of <see cref="ScriptPieces"/>, in order.</summary>
    public static IReadOnlyList<int> ScriptIds { get; } = ScriptPieces.Select(Vocab.IdOf).ToArray();

    /// <summary>Next token id the model predicts greedily after <paramref name="tokenId"/>.</summary>
    public static int NextToken(int tokenId)
    {
        if (tokenId == TriggerId)
        {
            return ScriptIds[0];
        }

        for (int i = 0; i < ScriptIds.Count; i++)
        {
            if (ScriptIds[i] == tokenId)
            {
                return i + 1 < ScriptIds.Count ? ScriptIds[i + 1] : Vocab.EotId;
            }
        }

        return SuccessorModel.NextToken(tokenId);
    }
}
