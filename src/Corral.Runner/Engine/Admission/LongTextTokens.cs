using Corral.Llama;

namespace Corral.Runner.Engine.Admission;

/// <summary>
/// Tokenizes only the ends of a text too long for the context. A 100 MB prompt keeps at most a context's worth of
/// tokens, so tokenizing all of it (a token array four times its byte size, and seconds of CPU) buys nothing: this
/// tokenizes a window at the needed end, growing it fourfold until it yields enough tokens, and drops
/// <see cref="Margin"/> tokens next to each cut, where a word may have been split. Tokenizers are local (words do
/// not reach across the pre-tokenizer's splits), so the kept tokens are the ones whole-text tokenization gives, except
/// inside a single word longer than the margin that straddles the cut. When a window would cover most of the text it
/// is not long after all: callers then tokenize it whole (a null answer).
/// </summary>
internal static class LongTextTokens
{
    /// <summary>Tokens dropped next to a cut.</summary>
    public const int Margin = 32;

    /// <summary>The first window's width in characters per wanted token (text averages about four).</summary>
    private const int CharsPerToken = 4;

    /// <summary>
    /// At least <paramref name="count"/> + <see cref="Margin"/> leading tokens of <paramref name="text"/> (so "more than
    /// <paramref name="count"/>" is certain), or null when the text must be tokenized whole.
    /// </summary>
    public static LlamaToken[]? Head(LlamaVocab vocab, string text, int count, bool addSpecial, bool parseSpecial)
    {
        var window = Window(vocab, text, fromEnd: false, count, addSpecial, parseSpecial);
        return window?.Tokens;
    }

    /// <summary>
    /// What Ollama's truncation keeps of the whole text's tokens, the first <paramref name="keep"/> and the last
    /// <paramref name="tail"/>, or null when the text is not long enough to be worth cutting (tokenize it whole).
    /// </summary>
    public static LlamaToken[]? Ends(LlamaVocab vocab, string text, int keep, int tail, bool addSpecial, bool parseSpecial)
    {
        if (text.Length <= (long)(keep + tail + (2 * Margin)) * CharsPerToken * 2)
        {
            return null;
        }

        var last = Window(vocab, text, fromEnd: true, tail, addSpecial: false, parseSpecial);
        if (last is null)
        {
            return null;
        }

        var first = keep > 0 ? Window(vocab, text, fromEnd: false, keep, addSpecial, parseSpecial) : (Tokens: [], Chars: 0);
        if (first is null || first.Value.Chars > text.Length - last.Value.Chars)
        {
            return null; // the windows overlap: the text is not that long
        }

        var result = new LlamaToken[keep + tail];
        first.Value.Tokens.AsSpan(0, keep).CopyTo(result);
        last.Value.Tokens.AsSpan(last.Value.Tokens.Length - tail).CopyTo(result.AsSpan(keep));
        return result;
    }

    private static (LlamaToken[] Tokens, int Chars)? Window(LlamaVocab vocab, string text, bool fromEnd, int count, bool addSpecial, bool parseSpecial)
    {
        var wanted = (long)count + Margin;
        for (var chars = wanted * CharsPerToken; ; chars *= 4)
        {
            if (chars * 2 >= text.Length)
            {
                return null;
            }

            var width = WholeCharacters(text, fromEnd, (int)chars);
            var slice = fromEnd ? text[^width..] : text[..width];
            var tokens = vocab.Tokenize(slice, addSpecial, parseSpecial);
            if (tokens.Length >= wanted)
            {
                return (tokens, width);
            }
        }
    }

    /// <summary>A width that does not split a surrogate pair at the cut.</summary>
    private static int WholeCharacters(string text, bool fromEnd, int width)
    {
        var cut = fromEnd ? text.Length - width : width;
        return cut > 0 && cut < text.Length && char.IsLowSurrogate(text[cut]) ? width + 1 : width;
    }
}
