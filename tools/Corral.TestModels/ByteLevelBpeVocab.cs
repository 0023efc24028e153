using System.Text;

namespace Corral.TestModels;

/// <summary>
/// A small GPT-2-style byte-level BPE vocabulary (tokenizer.ggml.model "gpt2", pre-tokenizer "llama-bpe").
/// Token id b (0..255) is the single byte b, so an ASCII character's token id is its code.
/// Merges only join punctuation and newlines ("!!", "!!!", "??", "\n\n"): letters, digits, '.' and
/// spaces never merge, so a prompt's last character alone decides its last token.
/// Special tokens are Llama-3 style control tokens.
/// </summary>
public sealed class ByteLevelBpeVocab
{
    public const string BeginOfText = "<|begin_of_text|>";
    public const string EndOfText = "<|end_of_text|>";
    public const string StartHeader = "<|start_header_id|>";
    public const string EndHeader = "<|end_header_id|>";
    public const string EndOfTurn = "<|eot_id|>";

    private static readonly (string Left, string Right)[] MergePairs =
    [
        ("!", "!"),
        ("!!", "!"),
        ("?", "?"),
        ("\u010A", "\u010A"), // "\n" "\n" in byte-to-unicode form
    ];

    private ByteLevelBpeVocab(List<string> tokens, List<LlamaTokenType> types, List<string> merges)
    {
        Tokens = tokens;
        TokenTypes = types;
        Merges = merges;
        BosId = tokens.IndexOf(BeginOfText);
        EosId = tokens.IndexOf(EndOfText);
        EotId = tokens.IndexOf(EndOfTurn);
        StartHeaderId = tokens.IndexOf(StartHeader);
        EndHeaderId = tokens.IndexOf(EndHeader);
    }

    public IReadOnlyList<string> Tokens { get; }

    public IReadOnlyList<LlamaTokenType> TokenTypes { get; }

    /// <summary>Merge rules "left right", highest priority first.</summary>
    public IReadOnlyList<string> Merges { get; }

    public int Count => Tokens.Count;
    public int BosId { get; }
    public int EosId { get; }
    public int EotId { get; }
    public int StartHeaderId { get; }
    public int EndHeaderId { get; }

    /// <summary>The 266-token vocabulary used by the tiny test models.</summary>
    public static ByteLevelBpeVocab CreateSmall() => Create(fillerCount: 0, reservedSpecialCount: 0);

    /// <summary>
    /// Llama-3-sized vocabulary of exactly 128256 tokens: bytes, merges, unreachable filler tokens up to id 128000,
    /// then the special tokens at Llama 3's ids (bos 128000, eos 128001, ...) and reserved control tokens.
    /// </summary>
    public static ByteLevelBpeVocab CreateLlama3Sized()
    {
        const int specialStart = 128000;
        int filler = specialStart - 256 - MergePairs.Length;
        return Create(filler, reservedSpecialCount: 256 - 5);
    }

    /// <summary>
    /// This vocabulary with <paramref name="texts"/> appended as normal tokens (spelled in the byte-to-unicode
    /// alphabet). No merge leads to them, so the tokenizer never produces them from text, but they detokenize to
    /// their text: a model can emit a multi-character piece as one distinct token.
    /// </summary>
    public ByteLevelBpeVocab WithNormalTokens(IEnumerable<string> texts)
    {
        var tokens = Tokens.ToList();
        var types = TokenTypes.ToList();
        foreach (string text in texts)
        {
            string spelled = Encode(text);
            if (tokens.Contains(spelled))
            {
                throw new ArgumentException($"Token '{text}' is already in the vocabulary.", nameof(texts));
            }

            tokens.Add(spelled);
            types.Add(LlamaTokenType.Normal);
        }

        return new ByteLevelBpeVocab(tokens, types, Merges.ToList());
    }

    /// <summary>Id of the token spelled <paramref name="text"/> (plain text, as <see cref="Encode"/> takes it); -1 if absent.</summary>
    public int IdOf(string text)
    {
        string spelled = Encode(text);
        for (int i = 0; i < Tokens.Count; i++)
        {
            if (Tokens[i] == spelled)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>GPT-2's reversible byte → printable-character mapping.</summary>
    public static char ByteToUnicode(byte b)
    {
        bool printable = b is >= (byte)'!' and <= (byte)'~' or >= 0xA1 and <= 0xAC or >= 0xAE;
        if (printable)
        {
            return (char)b;
        }

        int shifted = 0;
        for (int i = 0; i < b; i++)
        {
            bool p = i is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE;
            if (!p)
            {
                shifted++;
            }
        }

        return (char)(256 + shifted);
    }

    /// <summary>A text token (e.g. "Hello") spelled in the vocabulary's byte-to-unicode alphabet.</summary>
    public static string Encode(string text)
    {
        var s = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            s.Append(ByteToUnicode(b));
        }

        return s.ToString();
    }

    private static ByteLevelBpeVocab Create(int fillerCount, int reservedSpecialCount)
    {
        var tokens = new List<string>();
        var types = new List<LlamaTokenType>();
        for (int b = 0; b < 256; b++)
        {
            tokens.Add(ByteToUnicode((byte)b).ToString());
            types.Add(LlamaTokenType.Normal);
        }

        var merges = new List<string>();
        foreach (var (left, right) in MergePairs)
        {
            merges.Add($"{Spell(left)} {Spell(right)}");
            tokens.Add(Spell(left) + Spell(right));
            types.Add(LlamaTokenType.Normal);
        }

        for (int i = 0; i < fillerCount; i++)
        {
            tokens.Add($"<filler_{i}>");
            types.Add(LlamaTokenType.Normal);
        }

        foreach (string special in new[] { BeginOfText, EndOfText, StartHeader, EndHeader, EndOfTurn })
        {
            tokens.Add(special);
            types.Add(LlamaTokenType.Control);
        }

        for (int i = 0; i < reservedSpecialCount; i++)
        {
            tokens.Add($"<|reserved_special_token_{i}|>");
            types.Add(LlamaTokenType.Control);
        }

        return new ByteLevelBpeVocab(tokens, types, merges);
    }

    // Merge pairs are written with plain characters except the newline marker, which is already encoded.
    private static string Spell(string part) => part.Contains('\u010A') ? part : Encode(part);
}
