namespace Corral.TestModels;

/// <summary>
/// The hand-built "thinker" model: the successor model (<see cref="SuccessorModel"/>) plus extra tokens that spell one
/// reasoning turn. Greedy output still follows the last token only:
/// <list type="bullet">
/// <item>the merged "\n\n" token (how <see cref="Template"/>'s assistant header ends when thinking is on or unset) →
/// <see cref="ThinkingPieces"/> then <see cref="AnswerPieces"/>, one token each, then &lt;|eot_id|&gt;: the raw output is
/// <see cref="ThinkingText"/> = "&lt;think&gt;\n" + <see cref="Thought"/> + "&lt;/think&gt;\n\n" + <see cref="Answer"/>;</item>
/// <item>with think false the template prefills an empty "&lt;think&gt;&lt;/think&gt;" and ends the header with a single
/// "\n", which the model answers directly: <see cref="AnswerPieces"/> then &lt;|eot_id|&gt;, raw output <see cref="Answer"/>.</item>
/// </list>
/// Like <see cref="ToolCallerModel"/>'s script, the extra tokens have no BPE merges: no prompt text tokenizes to them,
/// but they detokenize to their text. Every other token follows the successor model.
/// </summary>
public static class ThinkerModel
{
    /// <summary>The reasoning a parser should report (what sits between the think tags, surrounding whitespace trimmed).</summary>
    public const string Thought = "The user greets me.";

    /// <summary>The answer after the reasoning (and the whole answer when thinking is off).</summary>
    public const string Answer = "Hello there!";

    /// <summary>The tokens before the answer when thinking: the open tag, the thought in two pieces, the close tag.</summary>
    public static IReadOnlyList<string> ThinkingPieces { get; } = ["<think>\n", "The user", " greets me.", "</think>\n\n"];

    /// <summary>The thought's pieces as they stream (the reasoning deltas, in order).</summary>
    public static IReadOnlyList<string> ThoughtPieces { get; } = ["The user", " greets me."];

    /// <summary>The answer's tokens, in order (the content deltas).</summary>
    public static IReadOnlyList<string> AnswerPieces { get; } = ["Hello", " there!"];

    /// <summary>The raw output when thinking (what stays content when thinking is not parsed).</summary>
    public static string ThinkingText { get; } = string.Concat(ThinkingPieces) + Answer;

    /// <summary>Tokens generated when thinking (eval_count); the end-of-turn token is not counted.</summary>
    public static int ThinkingTokenCount => ThinkingPieces.Count + AnswerPieces.Count;

    /// <summary>Tokens generated when answering directly (think false).</summary>
    public static int AnswerTokenCount => AnswerPieces.Count;

    /// <summary>
    /// An Ollama (Go) template in Llama-3 shape that supports thinking the way Ollama's thinking templates do: it reads
    /// <c>.Think</c>/<c>.IsThinkSet</c> (so the model gets the <c>thinking</c> capability), and when think is explicitly
    /// false it prefills an empty think block so the model answers directly. Earlier assistant turns keep only their
    /// content (their thinking is dropped, as Qwen3's template does).
    /// </summary>
    public const string Template =
        "{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}"
        + "{{- range $i, $_ := .Messages }}"
        + "{{- $last := eq (len (slice $.Messages $i)) 1 }}"
        + "{{- if eq .Role \"assistant\" }}<|start_header_id|>assistant<|end_header_id|>\n\n{{ .Content }}"
        + "{{- if not $last }}<|eot_id|>{{ end }}"
        + "{{- else if ne .Role \"system\" }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}"
        + "{{- if and $last (ne .Role \"assistant\") }}<|start_header_id|>assistant<|end_header_id|>\n\n"
        + "{{ if and $.IsThinkSet (not $.Think) }}<think></think>\n{{ end }}{{ end }}"
        + "{{- end }}";

    public static ByteLevelBpeVocab Vocab { get; } = SuccessorModel.Vocab.WithNormalTokens(ThinkingPieces.Concat(AnswerPieces));

    /// <summary>Id of the merged "\n\n" token that starts the thinking turn.</summary>
    public static int ThinkTriggerId { get; } = Vocab.IdOf("\n\n");

    /// <summary>Id of the single "\n" token (ending the empty think block) that starts the direct answer.</summary>
    public static int AnswerTriggerId { get; } = Vocab.IdOf("\n");

    private static readonly int[] Chain = ThinkingPieces.Concat(AnswerPieces).Select(Vocab.IdOf).ToArray();

    /// <summary>Next token id the model predicts greedily after <paramref name="tokenId"/>.</summary>
    public static int NextToken(int tokenId)
    {
        if (tokenId == ThinkTriggerId)
        {
            return Chain[0];
        }

        if (tokenId == AnswerTriggerId)
        {
            return Chain[ThinkingPieces.Count];
        }

        int at = Array.IndexOf(Chain, tokenId);
        if (at >= 0)
        {
            return at + 1 < Chain.Length ? Chain[at + 1] : Vocab.EotId;
        }

        return SuccessorModel.NextToken(tokenId);
    }
}
