namespace Corral.Models.Gguf;

/// <summary>
/// Shapes against the architecture, only where llama.cpp's tensor list is known for certain (read from its
/// src/models/*.cpp): the token embedding is [n_embd, n_vocab] with n_vocab the token count, and for llama-style
/// attention the head counts fit together (n_head_kv divides n_head; a GQA broadcast that does not divide aborts
/// in ggml's matrix product) and each block's attention and feed-forward matrices match them. llama.cpp would also
/// refuse most of these at load, but only after the model was created; here the client hears it at create.
/// Architectures not listed, fused QKV tensors, mixture-of-experts blocks and per-layer head counts are left to
/// llama.cpp: a wrong guess here would refuse a model that runs.
/// </summary>
internal static class GgufShapeCheck
{
    /// <summary>Architectures whose token_embd (and output, when present) is {n_embd, n_vocab}.</summary>
    private static readonly HashSet<string> EmbeddingArchitectures = new(StringComparer.Ordinal)
    {
        "llama", "qwen2", "qwen3", "gemma", "gemma2", "gemma3", "phi3", "mistral3", "granite",
    };

    /// <summary>Architectures built like llama.cpp's llama: q {n_embd, n_head·head_k}, k/v {n_embd, n_head_kv·head_k/v}, o back to n_embd.</summary>
    private static readonly HashSet<string> LlamaAttentionArchitectures = new(StringComparer.Ordinal)
    {
        "llama", "qwen3", "mistral3", "granite",
    };

    public static void Check(GgufFile gguf, List<string> problems)
    {
        if (gguf.Architecture is not { } arch || !EmbeddingArchitectures.Contains(arch)
            || !gguf.TryGetInt64(arch + "." + GgufKeys.EmbeddingLengthSuffix, out long embd) || embd < 1)
        {
            return;
        }

        if (gguf.TryGetArray(GgufKeys.Tokens, out GgufArray? tokens))
        {
            Expect(gguf, "token_embd.weight", [embd, tokens.Count], problems);
            Expect(gguf, "output.weight", [embd, tokens.Count], problems);
        }

        if (LlamaAttentionArchitectures.Contains(arch))
        {
            CheckAttention(gguf, arch, embd, problems);
        }
    }

    private static void CheckAttention(GgufFile gguf, string arch, long embd, List<string> problems)
    {
        string p = arch + ".";
        if (!gguf.TryGetInt64(p + GgufKeys.HeadCountSuffix, out long heads) || !gguf.TryGetInt64(p + GgufKeys.BlockCountSuffix, out long blocks))
        {
            return; // absent, or an array of per-layer counts
        }

        long kvHeads = gguf.TryGetInt64(p + GgufKeys.HeadCountKvSuffix, out long kv) ? kv : heads;
        if (heads < 1 || kvHeads < 1 || heads % kvHeads != 0)
        {
            problems.Add($"{p}{GgufKeys.HeadCountSuffix} {heads} is not a multiple of {p}{GgufKeys.HeadCountKvSuffix} {kvHeads}");
            return;
        }

        bool hasKeyLength = gguf.TryGetInt64(p + "attention.key_length", out long headK);
        if (!hasKeyLength && embd % heads != 0)
        {
            problems.Add($"{p}{GgufKeys.EmbeddingLengthSuffix} {embd} is not a multiple of {p}{GgufKeys.HeadCountSuffix} {heads}");
            return;
        }

        headK = hasKeyLength ? headK : embd / heads;
        long headV = gguf.TryGetInt64(p + "attention.value_length", out long v) ? v : headK;
        long ff = gguf.TryGetInt64(p + GgufKeys.FeedForwardLengthSuffix, out long f) ? f : 0;
        for (long i = 0; i < blocks && problems.Count < 8; i++)
        {
            Expect(gguf, $"blk.{i}.attn_q.weight", [embd, headK * heads], problems);
            Expect(gguf, $"blk.{i}.attn_k.weight", [embd, headK * kvHeads], problems);
            Expect(gguf, $"blk.{i}.attn_v.weight", [embd, headV * kvHeads], problems);
            Expect(gguf, $"blk.{i}.attn_output.weight", [headK * heads, embd], problems);
            if (ff > 0)
            {
                Expect(gguf, $"blk.{i}.ffn_gate.weight", [embd, ff], problems);
                Expect(gguf, $"blk.{i}.ffn_up.weight", [embd, ff], problems);
                Expect(gguf, $"blk.{i}.ffn_down.weight", [ff, embd], problems);
            }
        }
    }

    /// <summary>A tensor that is present must have exactly these dimensions (ggml order; trailing 1s are the same shape).</summary>
    private static void Expect(GgufFile gguf, string name, long[] expected, List<string> problems)
    {
        if (!gguf.TensorsByName.TryGetValue(name, out GgufTensorInfo? tensor))
        {
            return;
        }

        IReadOnlyList<long> dims = tensor.Dimensions;
        bool same = dims.Count >= expected.Length
            && expected.Select((d, i) => dims[i] == d).All(x => x)
            && dims.Skip(expected.Length).All(d => d == 1);
        if (!same)
        {
            problems.Add($"tensor '{name}' is [{string.Join(", ", dims)}], but the header's hyper-parameters make it [{string.Join(", ", expected)}]");
        }
    }
}
