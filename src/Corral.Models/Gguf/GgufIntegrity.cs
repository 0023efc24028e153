namespace Corral.Models.Gguf;

/// <summary>
/// Static checks that a GGUF's header describes a model the pinned llama.cpp can load and run, for what llama.cpp
/// itself would only find out by aborting (a <c>GGML_ASSERT</c> kills the runner) or by failing every load: tensor
/// types it cannot compute with, non-finite or impossible hyper-parameters, a vocabulary its loader asserts on, and
/// shapes that contradict the architecture. Each rule refuses exactly what was seen to crash or fail llama.cpp, never
/// a file it loads and runs: invalid UTF-8 in a token, an unknown token type or a merge without a space all run fine
/// there, so they pass. Reads only the header (no tensor data); the vocabulary pass is O(n_vocab).
/// </summary>
public static class GgufIntegrity
{
    /// <summary>
    /// How to read a file for <see cref="FindProblems"/>: small arrays (per-layer hyper-parameters), the token list
    /// with its exact bytes and the token types; the merges and scores are only counted.
    /// </summary>
    public static GgufReadOptions ReadOptions { get; } = new()
    {
        MaxArrayElementsToMaterialize = 4096,
        AlwaysMaterialize = new HashSet<string>(StringComparer.Ordinal) { GgufKeys.Tokens, GgufKeys.TokenTypes },
        RawStringArrays = new HashSet<string>(StringComparer.Ordinal) { GgufKeys.Tokens },
    };

    /// <summary>
    /// Every problem found, as a sentence each; empty when the file passes. Checks that need an array the reader did
    /// not materialize (see <see cref="ReadOptions"/>) are skipped.
    /// </summary>
    public static IReadOnlyList<string> FindProblems(GgufFile gguf)
    {
        ArgumentNullException.ThrowIfNull(gguf);
        var problems = new List<string>();
        foreach (GgufTensorInfo tensor in gguf.Tensors)
        {
            if (!GgmlTypeInfo.IsUsableAsWeight(tensor.Type))
            {
                problems.Add($"tensor '{tensor.Name}' has type {tensor.Type} ({(uint)tensor.Type}), which llama.cpp cannot compute with");
            }
        }

        GgufHyperParameterCheck.Check(gguf, problems);
        GgufVocabularyCheck.Check(gguf, problems);
        GgufShapeCheck.Check(gguf, problems);
        return problems;
    }

    /// <summary>Throws a <see cref="GgufFormatException"/> naming the first few problems, if there are any.</summary>
    public static void Check(GgufFile gguf)
    {
        if (Describe(FindProblems(gguf)) is { } why)
        {
            throw new GgufFormatException(why);
        }
    }

    /// <summary>One sentence for a client: the first few problems; null when there are none.</summary>
    public static string? Describe(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        const int Shown = 3;
        if (problems.Count == 0)
        {
            return null;
        }

        string more = problems.Count > Shown ? $" (and {problems.Count - Shown} more)" : string.Empty;
        return "llama.cpp cannot run this model: " + string.Join("; ", problems.Take(Shown)) + more;
    }
}
