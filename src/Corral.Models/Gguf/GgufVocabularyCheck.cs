namespace Corral.Models.Gguf;

/// <summary>
/// The token table as llama.cpp's vocabulary loader (src/llama-vocab.cpp) reads it. It asserts that every token
/// text is distinct (a flipped byte that turns one token into another aborts the load; empty texts are renamed
/// "[EMPTY_i]" first), fails when scores or types are fewer than the tokens, and fails on a BYTE-typed token too
/// short to hold "&lt;0xXX&gt;" (it reads the two hex digits at offset 3). Invalid UTF-8 and token types outside its
/// enum are tolerated there (replacement characters, UNDEFINED), so they pass here too.
/// </summary>
internal static class GgufVocabularyCheck
{
    private const int ByteTokenType = 6; // LLAMA_TOKEN_TYPE_BYTE

    public static void Check(GgufFile gguf, List<string> problems)
    {
        if (!gguf.TryGetArray(GgufKeys.Tokens, out GgufArray? tokens) || tokens.ElementType != GgufValueType.String)
        {
            return;
        }

        long count = tokens.Count;
        if (gguf.TryGetArray(GgufKeys.Scores, out GgufArray? scores))
        {
            if (scores.ElementType is not (GgufValueType.Float32 or GgufValueType.Int32))
            {
                problems.Add($"{GgufKeys.Scores} holds {scores.ElementType}, not Float32 or Int32");
            }
            else if (scores.Count < count)
            {
                problems.Add($"{GgufKeys.Scores} has {scores.Count} entries for {count} tokens");
            }
        }

        ReadOnlySpan<int> types = default;
        if (gguf.TryGetArray(GgufKeys.TokenTypes, out GgufArray? typeArray))
        {
            if (typeArray.ElementType != GgufValueType.Int32)
            {
                problems.Add($"{GgufKeys.TokenTypes} holds {typeArray.ElementType}, not Int32");
            }
            else if (typeArray.Count < count)
            {
                problems.Add($"{GgufKeys.TokenTypes} has {typeArray.Count} entries for {count} tokens");
            }
            else if (typeArray.IsMaterialized)
            {
                types = typeArray.AsSpan<int>();
            }
        }

        // Decoded as UTF-8, two different invalid byte sequences would look like the same duplicate: only exact bytes count.
        if (tokens.IsMaterialized && tokens.HoldsRawBytes)
        {
            CheckTexts(tokens.AsStrings(), types, problems);
        }
    }

    /// <summary>
    /// Token texts: read with <see cref="GgufReadOptions.RawStringArrays"/> they are Latin-1, one char per byte,
    /// so equal strings are equal bytes, as in llama.cpp's std::string map.
    /// </summary>
    private static void CheckTexts(IReadOnlyList<string> texts, ReadOnlySpan<int> types, List<string> problems)
    {
        var seen = new Dictionary<string, int>(texts.Count, StringComparer.Ordinal);
        for (int i = 0; i < texts.Count; i++)
        {
            string text = texts[i].Length == 0 ? $"[EMPTY_{i}]" : texts[i];
            if (!seen.TryAdd(text, i))
            {
                problems.Add($"tokens {seen[text]} and {i} are both {Show(text)} (llama.cpp aborts on a duplicate token)");
                return;
            }

            if (i < types.Length && types[i] == ByteTokenType && text.Length < 3)
            {
                problems.Add($"token {i} ({Show(text)}) has type BYTE but is too short to be a byte token like <0x0A>");
                return;
            }
        }
    }

    /// <summary>The token for a message: UTF-8 again when it is (it was read as Latin-1), escaped otherwise.</summary>
    private static string Show(string latin1)
    {
        byte[] bytes = System.Text.Encoding.Latin1.GetBytes(latin1);
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            text = string.Concat(bytes.Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}"));
        }

        text = text.Length > 40 ? text[..40] + "..." : text;
        return "'" + text.Replace("\n", "\\n", StringComparison.Ordinal) + "'";
    }
}
