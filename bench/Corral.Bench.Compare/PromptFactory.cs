using System.Text;
using Corral.Llama;

namespace Corral.Bench.Compare;

/// <summary>
/// Prompts of an exact token count (by the bench model's own tokenizer, without BOS), each made of
/// pseudo-random words and never handed out twice in a run, so neither server's prefix cache has
/// seen one before (beyond BOS and a first letter or two).
/// </summary>
internal sealed class PromptFactory(LlamaVocab vocab)
{
    private static readonly string[] Syllables =
        ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "fo", "ga", "hu", "ji", "pe", "qu", "bo", "ze", "ly", "wa", "xi"];

    private readonly Random _random = new(22);

    /// <summary>A fresh text that tokenizes to exactly <paramref name="tokens"/> tokens.</summary>
    public string Fresh(int tokens)
    {
        var text = new StringBuilder();
        while (true)
        {
            while (vocab.Tokenize(text.ToString(), addSpecial: false, parseSpecial: false).Length < tokens + 8)
            {
                AppendWord(text);
            }

            var ids = vocab.Tokenize(text.ToString(), addSpecial: false, parseSpecial: false);
            var cut = vocab.Detokenize(ids.AsSpan(0, tokens));
            if (vocab.Tokenize(cut, addSpecial: false, parseSpecial: false).Length == tokens)
            {
                return cut;
            }

            // The cut fell inside a merge that re-tokenizes differently: start over with other words.
            text.Clear();
        }
    }

    /// <summary>
    /// A fresh tail of about <paramref name="tokens"/> tokens to append to a prompt: it starts with a space, where
    /// the tokenizer splits words, so the prompt's own tokens stay as they are in front of it.
    /// </summary>
    public string FreshTail(int tokens) => " " + Fresh(tokens);

    private void AppendWord(StringBuilder text)
    {
        if (text.Length > 0)
        {
            text.Append(' ');
        }

        var syllables = _random.Next(1, 4);
        for (var i = 0; i < syllables; i++)
        {
            text.Append(Syllables[_random.Next(Syllables.Length)]);
        }
    }
}
