namespace Corral.TestModels;

/// <summary>
/// The hand-built "hostile markup" model: the successor model (<see cref="SuccessorModel"/>) plus tokens that spell an
/// answer full of markup a browser would run if a page rendered it unsanitized (a script element, an onerror handler,
/// javascript: links in Markdown and in HTML, an SVG onload), next to harmless Markdown. After the merged "\n\n" token
/// (how a Llama-3-shaped chat template's assistant header ends) greedy output is <see cref="Pieces"/>, one token each,
/// then &lt;|eot_id|&gt;. Each attack sets <c>window.pwned</c>, so a test can tell whether any of it ran. Like
/// <see cref="ThinkerModel"/>'s, the extra tokens have no BPE merges: only generation reaches them.
/// </summary>
public static class HostileMarkupModel
{
    /// <summary>The answer's tokens, in order.</summary>
    public static IReadOnlyList<string> Pieces { get; } =
    [
        "Plain **bold** text.\n\n",
        "<script>window.pwned = 'script'</script>\n\n",
        "<img src=\"x\" alt=\"broken\" onerror=\"window.pwned = 'img'\">\n\n",
        "[markdown link](javascript:window.pwned='markdown-link')\n\n",
        "<a href=\"javascript:window.pwned='html-link'\">html link</a>\n\n",
        "<svg onload=\"window.pwned = 'svg'\"><circle r=\"4\"/></svg>\n\n",
        "Inline `<b>code</b>` stays text.",
    ];

    /// <summary>The whole answer.</summary>
    public static string Answer { get; } = string.Concat(Pieces);

    public static ByteLevelBpeVocab Vocab { get; } = SuccessorModel.Vocab.WithNormalTokens(Pieces);

    private static readonly int Trigger = Vocab.IdOf("\n\n");

    private static readonly int[] Chain = Pieces.Select(Vocab.IdOf).ToArray();

    /// <summary>Next token id the model predicts greedily after <paramref name="tokenId"/>.</summary>
    public static int NextToken(int tokenId)
    {
        if (tokenId == Trigger)
        {
            return Chain[0];
        }

        int at = Array.IndexOf(Chain, tokenId);
        if (at >= 0)
        {
            return at + 1 < Chain.Length ? Chain[at + 1] : Vocab.EotId;
        }

        return SuccessorModel.NextToken(tokenId);
    }
}
