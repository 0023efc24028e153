using Corral.Models.Gguf;

namespace Corral.TestModels;

/// <summary>
/// Writes a tiny arch "bert" model with deterministic random weights: an embedding model with mean
/// pooling, or a reranker (a cross-encoder: rank pooling over the [CLS] token and a one-label
/// classification head, <c>cls</c> then <c>cls.output</c>, as llama.cpp's BERT rerankers have).
/// </summary>
internal static class BertModelWriter
{
    public const int EmbeddingLength = 32;
    public const int BlockCount = 2;
    public const int HeadCount = 4;
    public const int FeedForwardLength = 64;
    public const int ContextLength = 512;

    /// <summary>llama.cpp's LLAMA_POOLING_TYPE_MEAN and LLAMA_POOLING_TYPE_RANK.</summary>
    private const uint MeanPooling = 1, RankPooling = 4;

    public static void Write(string path, ulong seed, bool reranker = false)
    {
        WordPieceVocab vocab = WordPieceVocab.Create();
        const string arch = "bert";
        var w = new GgufWriter();
        w.AddString(GgufKeys.Architecture, arch);
        w.AddString(GgufKeys.Name, reranker ? "corral-test-reranker" : "corral-test-embedding");
        w.AddUInt32(GgufKeys.FileType, 0);
        w.AddUInt32($"{arch}.{GgufKeys.ContextLengthSuffix}", ContextLength);
        w.AddUInt32($"{arch}.{GgufKeys.EmbeddingLengthSuffix}", EmbeddingLength);
        w.AddUInt32($"{arch}.{GgufKeys.BlockCountSuffix}", BlockCount);
        w.AddUInt32($"{arch}.{GgufKeys.FeedForwardLengthSuffix}", FeedForwardLength);
        w.AddUInt32($"{arch}.{GgufKeys.HeadCountSuffix}", HeadCount);
        w.AddFloat32($"{arch}.{GgufKeys.LayerNormEpsilonSuffix}", 1e-12f);
        w.AddBool($"{arch}.{GgufKeys.CausalSuffix}", false);
        w.AddUInt32($"{arch}.{GgufKeys.PoolingTypeSuffix}", reranker ? RankPooling : MeanPooling);
        if (reranker)
        {
            // One label: the relevance logit (n_cls_out = 1).
            w.AddStrings($"{arch}.classifier.output_labels", ["LABEL_0"]);
        }

        w.AddString(GgufKeys.TokenizerModel, "bert");
        w.AddStrings(GgufKeys.Tokens, vocab.Tokens);
        w.AddArray(GgufKeys.TokenTypes, GgufArray.FromInt32(vocab.TokenTypes.Select(t => (int)t).ToArray()));
        w.AddUInt32(GgufKeys.TokenTypeCount, 2);
        w.AddUInt32(GgufKeys.BosTokenId, WordPieceVocab.ClsId);
        w.AddUInt32(GgufKeys.ClsTokenId, WordPieceVocab.ClsId);
        w.AddUInt32(GgufKeys.SeparatorTokenId, WordPieceVocab.SepId);
        w.AddUInt32(GgufKeys.UnknownTokenId, WordPieceVocab.UnknownId);
        w.AddUInt32(GgufKeys.PaddingTokenId, WordPieceVocab.PadId);
        w.AddUInt32(GgufKeys.MaskTokenId, WordPieceVocab.MaskId);

        const long e = EmbeddingLength;
        void Random(string name, float scale, params long[] dims) =>
            w.AddTensor(name, dims, GgmlType.F32, s => TensorData.Random(s, GgmlType.F32, dims.Aggregate(1L, (a, b) => a * b), SplitMix64.Derive(seed, name), scale));
        void Constant(string name, float value, long length) =>
            w.AddTensor(name, [length], GgmlType.F32, s => TensorData.Constant(s, GgmlType.F32, length, value));

        Random("token_embd.weight", 1f, e, vocab.Count);
        Random("token_types.weight", 0.1f, e, 2);
        Random("position_embd.weight", 0.1f, e, ContextLength);
        Constant("token_embd_norm.weight", 1f, e);
        Constant("token_embd_norm.bias", 0f, e);
        for (int i = 0; i < BlockCount; i++)
        {
            float scale = 1f / MathF.Sqrt(e);
            Random($"blk.{i}.attn_q.weight", scale, e, e);
            Random($"blk.{i}.attn_q.bias", 0.02f, e);
            Random($"blk.{i}.attn_k.weight", scale, e, e);
            Random($"blk.{i}.attn_k.bias", 0.02f, e);
            Random($"blk.{i}.attn_v.weight", scale, e, e);
            Random($"blk.{i}.attn_v.bias", 0.02f, e);
            Random($"blk.{i}.attn_output.weight", scale, e, e);
            Random($"blk.{i}.attn_output.bias", 0.02f, e);
            Constant($"blk.{i}.attn_output_norm.weight", 1f, e);
            Constant($"blk.{i}.attn_output_norm.bias", 0f, e);
            Random($"blk.{i}.ffn_up.weight", scale, e, FeedForwardLength);
            Random($"blk.{i}.ffn_up.bias", 0.02f, FeedForwardLength);
            Random($"blk.{i}.ffn_down.weight", 1f / MathF.Sqrt(FeedForwardLength), FeedForwardLength, e);
            Random($"blk.{i}.ffn_down.bias", 0.02f, e);
            Constant($"blk.{i}.layer_output_norm.weight", 1f, e);
            Constant($"blk.{i}.layer_output_norm.bias", 0f, e);
        }

        if (reranker)
        {
            // Classification head: tanh(cls · h_[CLS] + b), then the projection to one score.
            Random("cls.weight", 1f / MathF.Sqrt(e), e, e);
            Random("cls.bias", 0.02f, e);
            Random("cls.output.weight", 1f, e, 1);
            Random("cls.output.bias", 0.02f, 1);
        }

        w.WriteTo(path);
    }
}
