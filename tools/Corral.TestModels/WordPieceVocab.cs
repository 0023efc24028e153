namespace Corral.TestModels;

/// <summary>
/// A small BERT WordPiece vocabulary in llama.cpp's GGUF spelling: word-initial pieces carry the "▁" (U+2581)
/// prefix and continuation pieces (HF's "##ing") are stored bare ("ing").
/// Ids: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, then letters, digits, punctuation, words, suffixes.
/// </summary>
public sealed class WordPieceVocab
{
    public const char WordStart = '\u2581';
    public const int PadId = 0;
    public const int UnknownId = 1;
    public const int ClsId = 2;
    public const int SepId = 3;
    public const int MaskId = 4;

    private static readonly string[] Words =
    [
        "the", "a", "an", "and", "or", "of", "to", "in", "on", "is", "are", "was", "be", "it", "this", "that",
        "i", "you", "he", "she", "we", "they", "my", "your", "hello", "world", "cat", "cats", "dog", "dogs", "sky",
        "blue", "red", "green", "sun", "moon", "star", "water", "fire", "tree", "house", "car", "road", "city",
        "cheese", "bread", "apple", "banana", "fruit", "food", "eat", "run", "walk", "talk", "read", "write",
        "book", "code", "computer", "model", "text", "word", "llama", "ollama", "corral", "embedding", "vector",
        "good", "bad", "big", "small", "fast", "slow", "hot", "cold", "new", "old", "day", "night", "time",
        "year", "one", "two", "three", "what", "why", "how", "where", "who", "yes", "no", "not", "with",
    ];

    private static readonly string[] Suffixes = ["ing", "ed", "er", "est", "ly", "es", "tion", "ness", "ment"];

    private WordPieceVocab(List<string> tokens, List<LlamaTokenType> types)
    {
        Tokens = tokens;
        TokenTypes = types;
    }

    public IReadOnlyList<string> Tokens { get; }

    public IReadOnlyList<LlamaTokenType> TokenTypes { get; }

    public int Count => Tokens.Count;

    public static WordPieceVocab Create()
    {
        var tokens = new List<string>();
        var types = new List<LlamaTokenType>();
        foreach (string special in new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" })
        {
            tokens.Add(special);
            types.Add(LlamaTokenType.Control);
        }

        var seen = new HashSet<string>(tokens, StringComparer.Ordinal);
        void Add(string token)
        {
            if (seen.Add(token))
            {
                tokens.Add(token);
                types.Add(LlamaTokenType.Normal);
            }
        }

        const string singles = "abcdefghijklmnopqrstuvwxyz0123456789";
        foreach (char c in singles)
        {
            Add(WordStart + c.ToString());
            Add(c.ToString());
        }

        foreach (char c in ".,!?;:'\"()-")
        {
            Add(WordStart + c.ToString());
        }

        foreach (string word in Words)
        {
            Add(WordStart + word);
        }

        foreach (string suffix in Suffixes)
        {
            Add(suffix);
        }

        return new WordPieceVocab(tokens, types);
    }
}
