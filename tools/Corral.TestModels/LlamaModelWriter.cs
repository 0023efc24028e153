using Corral.Models.Gguf;

namespace Corral.TestModels;

/// <summary>
/// Writes the metadata and tensor directory llama.cpp needs for arch "llama" with a byte-level BPE vocabulary;
/// the caller supplies each tensor's values. Dimensions are in GGUF order (ne0, the inner dimension, first).
/// </summary>
internal static class LlamaModelWriter
{
    /// <summary>Writes one tensor's data: (tensor name, dimensions, type, destination).</summary>
    public delegate void TensorSource(string name, IReadOnlyList<long> dimensions, GgmlType type, Stream output);

    /// <param name="path">Where the GGUF is written.</param>
    /// <param name="modelName">general.name.</param>
    /// <param name="shape">The model's dimensions.</param>
    /// <param name="vocab">The tokenizer written to the metadata.</param>
    /// <param name="source">Writes each tensor's values.</param>
    /// <param name="chatTemplate">The GGUF's tokenizer.chat_template (Jinja); null writes none.</param>
    public static void Write(string path, string modelName, LlamaShape shape, ByteLevelBpeVocab vocab, TensorSource source, string? chatTemplate = ChatTemplates.Llama3)
    {
        if (shape.EmbeddingLength % shape.HeadCount != 0 || shape.HeadCount % shape.HeadCountKv != 0)
        {
            throw new ArgumentException("Embedding length must divide into heads and heads into KV heads.", nameof(shape));
        }

        var w = new GgufWriter();
        const string arch = "llama";
        w.AddString(GgufKeys.Architecture, arch);
        w.AddString(GgufKeys.Name, modelName);
        w.AddUInt32(GgufKeys.FileType, shape.WeightType == GgmlType.F16 ? 1u : 0u); // LLAMA_FTYPE_MOSTLY_F16 / ALL_F32
        w.AddUInt32(GgufKeys.QuantizationVersion, 2);
        w.AddUInt32($"{arch}.{GgufKeys.ContextLengthSuffix}", (uint)shape.ContextLength);
        w.AddUInt32($"{arch}.{GgufKeys.EmbeddingLengthSuffix}", (uint)shape.EmbeddingLength);
        w.AddUInt32($"{arch}.{GgufKeys.BlockCountSuffix}", (uint)shape.BlockCount);
        w.AddUInt32($"{arch}.{GgufKeys.FeedForwardLengthSuffix}", (uint)shape.FeedForwardLength);
        w.AddUInt32($"{arch}.{GgufKeys.HeadCountSuffix}", (uint)shape.HeadCount);
        w.AddUInt32($"{arch}.{GgufKeys.HeadCountKvSuffix}", (uint)shape.HeadCountKv);
        w.AddUInt32($"{arch}.{GgufKeys.RopeDimensionCountSuffix}", (uint)shape.HeadDimension);
        w.AddFloat32($"{arch}.{GgufKeys.RopeFreqBaseSuffix}", shape.RopeFreqBase);
        w.AddFloat32($"{arch}.{GgufKeys.LayerNormRmsEpsilonSuffix}", shape.RmsEpsilon);
        w.AddUInt32($"{arch}.{GgufKeys.VocabSizeSuffix}", (uint)vocab.Count);
        AddVocabulary(w, vocab);
        if (chatTemplate is not null)
        {
            w.AddString(GgufKeys.ChatTemplate, chatTemplate);
        }

        long embd = shape.EmbeddingLength;
        long kv = (long)shape.HeadCountKv * shape.HeadDimension;
        long ff = shape.FeedForwardLength;
        long nVocab = vocab.Count;

        void Add(string name, GgmlType type, params long[] dims) =>
            w.AddTensor(name, dims, type, s => source(name, dims, type, s));

        Add("token_embd.weight", shape.WeightType, embd, nVocab);
        for (int i = 0; i < shape.BlockCount; i++)
        {
            Add($"blk.{i}.attn_norm.weight", GgmlType.F32, embd);
            Add($"blk.{i}.attn_q.weight", shape.WeightType, embd, embd);
            Add($"blk.{i}.attn_k.weight", shape.WeightType, embd, kv);
            Add($"blk.{i}.attn_v.weight", shape.WeightType, embd, kv);
            Add($"blk.{i}.attn_output.weight", shape.WeightType, embd, embd);
            Add($"blk.{i}.ffn_norm.weight", GgmlType.F32, embd);
            Add($"blk.{i}.ffn_gate.weight", shape.WeightType, embd, ff);
            Add($"blk.{i}.ffn_up.weight", shape.WeightType, embd, ff);
            Add($"blk.{i}.ffn_down.weight", shape.WeightType, ff, embd);
        }

        Add("output_norm.weight", GgmlType.F32, embd);
        if (!shape.TiedOutput)
        {
            Add("output.weight", shape.WeightType, embd, nVocab);
        }

        w.WriteTo(path);
    }

    private static void AddVocabulary(GgufWriter w, ByteLevelBpeVocab vocab)
    {
        w.AddString(GgufKeys.TokenizerModel, "gpt2");
        w.AddString(GgufKeys.TokenizerPre, "llama-bpe");
        w.AddStrings(GgufKeys.Tokens, vocab.Tokens);
        w.AddArray(GgufKeys.TokenTypes, GgufArray.FromInt32(vocab.TokenTypes.Select(t => (int)t).ToArray()));
        w.AddStrings(GgufKeys.Merges, vocab.Merges);
        w.AddUInt32(GgufKeys.BosTokenId, (uint)vocab.BosId);
        w.AddUInt32(GgufKeys.EosTokenId, (uint)vocab.EosId);
        w.AddUInt32(GgufKeys.EotTokenId, (uint)vocab.EotId);
        w.AddBool(GgufKeys.AddBosToken, true);
        w.AddBool(GgufKeys.AddEosToken, false);
    }
}
