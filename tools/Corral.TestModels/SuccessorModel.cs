using System.Text;

namespace Corral.TestModels;

/// <summary>
/// The hand-built "successor" model: its next token depends only on the last token, and greedy decoding
/// follows <see cref="NextToken"/> exactly:
/// 'a'..'y' → next letter, 'z' → &lt;|eot_id|&gt; (end), '0'..'8' → next digit, '9' → '0' (never ends),
/// '.' → &lt;|end_of_text|&gt; (end), anything else (spaces, newlines, capitals, punctuation, special tokens) → 'a'.
/// So any chat prompt (which ends in "\n\n") is answered "abcdefghijklmnopqrstuvwxyz" in 26 tokens.
/// Token ids: byte b is token b; see <see cref="ByteLevelBpeVocab"/>.
/// </summary>
public static class SuccessorModel
{
    /// <summary>The full answer to any prompt whose last character falls back to 'a'.</summary>
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyz";

    public static ByteLevelBpeVocab Vocab { get; } = ByteLevelBpeVocab.CreateSmall();

    /// <summary>Next token id the model predicts greedily after <paramref name="tokenId"/>.</summary>
    public static int NextToken(int tokenId)
    {
        if (tokenId is >= 'a' and < 'z' or >= '0' and < '9')
        {
            return tokenId + 1;
        }

        return tokenId switch
        {
            'z' => Vocab.EotId,
            '9' => '0',
            '.' => Vocab.EosId,
            _ => 'a',
        };
    }

    /// <summary>True for the tokens that end generation (&lt;|eot_id|&gt; and &lt;|end_of_text|&gt;).</summary>
    public static bool IsEndOfGeneration(int tokenId) => tokenId == Vocab.EotId || tokenId == Vocab.EosId;

    /// <summary>
    /// The last token of a plain-text prompt (no special tokens): its last byte, except that a run of '!',
    /// '?' or newlines may merge; merged tokens behave like any other fallback token ('a' follows).
    /// </summary>
    public static int LastTokenOf(string prompt)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(prompt);
        if (bytes.Length == 0)
        {
            return Vocab.BosId;
        }

        byte last = bytes[^1];
        bool mergeable = last is (byte)'!' or (byte)'?' or (byte)'\n';
        return mergeable && bytes.Length > 1 && bytes[^2] == last ? -1 : last; // -1: a merged token, which falls back to 'a'
    }

    /// <summary>
    /// What greedy decoding produces for <paramref name="prompt"/> with at most <paramref name="maxTokens"/> tokens.
    /// </summary>
    public static SuccessorExpectation ExpectedContinuation(string prompt, int maxTokens)
    {
        int token = LastTokenOf(prompt);
        var text = new StringBuilder();
        var tokens = new List<int>();
        for (int i = 0; i < maxTokens; i++)
        {
            token = NextToken(token);
            if (IsEndOfGeneration(token))
            {
                return new SuccessorExpectation(text.ToString(), tokens, EndedWithEndOfGeneration: true);
            }

            tokens.Add(token);
            text.Append((char)token);
        }

        return new SuccessorExpectation(text.ToString(), tokens, EndedWithEndOfGeneration: false);
    }
}
