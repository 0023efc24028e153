using Corral.Models.Gguf;

namespace Corral.TestModels;

/// <summary>
/// Generates GGUF models llama.cpp can load. (Named TestModelWriter, not TestModels, because a type named like
/// its namespace makes "TestModels.X" resolve to the namespace from inside Corral.*.)
/// </summary>
public static class TestModelWriter
{
    /// <summary>Shape of <see cref="WriteRandom"/>: n_embd 64, 2 layers, 4 heads, 2 KV heads, n_ff 128, context 2048.</summary>
    public static LlamaShape RandomShape { get; } = new();

    /// <summary>Shape of <see cref="WriteSuccessor"/>: n_embd 320 (≥ the 266-token vocabulary, so embeddings can be one-hot).</summary>
    public static LlamaShape SuccessorShape { get; } = new() { EmbeddingLength = 320, FeedForwardLength = 64 };

    /// <summary>Llama-3.2-1B dimensions: vocab 128256, n_embd 2048, 16 layers, 32 heads, 8 KV heads, n_ff 8192, F16, tied output.</summary>
    public static LlamaShape BenchLlama1BShape { get; } = new()
    {
        EmbeddingLength = 2048,
        BlockCount = 16,
        HeadCount = 32,
        HeadCountKv = 8,
        FeedForwardLength = 8192,
        ContextLength = 131072,
        WeightType = GgmlType.F16,
        TiedOutput = true,
    };

    /// <summary>Logit of the successor token; every other logit is exactly 0, so greedy choice is unambiguous.</summary>
    public const float SuccessorWeight = 4f;

    /// <summary>
    /// A tiny llama model with random weights, identical for the same seed and type (F32 or F16), with
    /// <paramref name="chatTemplate"/> as its tokenizer.chat_template (null: none).
    /// </summary>
    public static void WriteRandom(string path, ulong seed = 1, GgmlType weightType = GgmlType.F32, string? chatTemplate = ChatTemplates.Llama3)
    {
        LlamaShape shape = RandomShape with { WeightType = weightType };
        LlamaModelWriter.Write(path, "corral-test-random", shape, ByteLevelBpeVocab.CreateSmall(), (name, dims, type, output) =>
        {
            long count = dims.Aggregate(1L, (a, b) => a * b);
            if (dims.Count == 1)
            {
                TensorData.Constant(output, type, count, 1f); // norm weights
            }
            else
            {
                float scale = name == "token_embd.weight" ? 1f : 1f / MathF.Sqrt(dims[0]);
                TensorData.Random(output, type, count, SplitMix64.Derive(seed, name), scale);
            }
        }, chatTemplate);
    }

    /// <summary>
    /// A random F16 model of any <paramref name="shape"/> (small vocabulary), written fast enough for hundreds of
    /// megabytes: for tests that need work to take a while, such as cancelling a quantization.
    /// </summary>
    public static void WriteRandomF16(string path, LlamaShape shape, ulong seed = 1)
    {
        LlamaModelWriter.Write(path, "corral-test-random-f16", shape with { WeightType = GgmlType.F16 }, ByteLevelBpeVocab.CreateSmall(), (name, dims, type, output) =>
        {
            long count = dims.Aggregate(1L, (a, b) => a * b);
            if (type == GgmlType.F16)
            {
                TensorData.FastRandomF16(output, count, SplitMix64.Derive(seed, name));
            }
            else
            {
                TensorData.Constant(output, type, count, 1f);
            }
        });
    }

    /// <summary>
    /// The hand-built model whose greedy output <see cref="SuccessorModel"/> predicts exactly. Attention and FFN
    /// outputs are zero, so the residual stream stays the one-hot embedding of the last token; output.weight
    /// maps token i to its successor.
    /// </summary>
    public static void WriteSuccessor(string path) =>
        WriteNextTokenModel(path, "corral-test-successor", SuccessorModel.Vocab, SuccessorModel.NextToken);

    /// <summary>
    /// The successor model plus tokens that spell one tool call: its greedy output is what <see cref="ToolCallerModel"/>
    /// documents (use it with <see cref="ToolCallerModel.Template"/>).
    /// </summary>
    public static void WriteToolCaller(string path) =>
        WriteNextTokenModel(path, "corral-test-tool-caller", ToolCallerModel.Vocab, ToolCallerModel.NextToken);

    /// <summary>
    /// The successor model plus tokens that spell one reasoning turn: its greedy output is what <see cref="ThinkerModel"/>
    /// documents (use it with <see cref="ThinkerModel.Template"/>).
    /// </summary>
    public static void WriteThinker(string path) =>
        WriteNextTokenModel(path, "corral-test-thinker", ThinkerModel.Vocab, ThinkerModel.NextToken);

    /// <summary>
    /// The successor model plus tokens that spell an answer full of hostile markup: its greedy output is what
    /// <see cref="HostileMarkupModel"/> documents (use it with a Llama-3-shaped chat template).
    /// </summary>
    public static void WriteHostileMarkup(string path) =>
        WriteNextTokenModel(path, "corral-test-hostile-markup", HostileMarkupModel.Vocab, HostileMarkupModel.NextToken);

    /// <summary>
    /// The successor model made expensive: the same greedy output, but <paramref name="blocks"/> layers of F16 weights
    /// with a wide feed-forward, all computed (and all zero). A target for the speculative decoding bench, where the
    /// plain successor model is the draft that always agrees.
    /// </summary>
    public static void WriteHeavySuccessor(string path, int blocks = 16, int feedForward = 4096) =>
        WriteNextTokenModel(path, "corral-test-heavy-successor", SuccessorModel.Vocab, SuccessorModel.NextToken,
            SuccessorShape with { BlockCount = blocks, FeedForwardLength = feedForward, WeightType = GgmlType.F16 });

    // Attention and FFN outputs are zero, so the residual stream stays the one-hot embedding of the last token, and
    // output.weight turns it into one logit for the chosen next token.
    private static void WriteNextTokenModel(string path, string modelName, ByteLevelBpeVocab vocab, Func<int, int> nextToken, LlamaShape? shape = null)
    {
        shape ??= SuccessorShape;
        long embd = shape.EmbeddingLength;
        if (embd < vocab.Count)
        {
            throw new InvalidOperationException("Next-token model embeddings must be at least as wide as the vocabulary.");
        }

        int[] successor = Enumerable.Range(0, vocab.Count).Select(nextToken).ToArray();
        LlamaModelWriter.Write(path, modelName, shape, vocab, (name, dims, type, output) =>
        {
            long count = dims.Aggregate(1L, (a, b) => a * b);
            Func<long, float> value = name switch
            {
                // Row t (dims[1] index) is the embedding of token t: one-hot at column t.
                "token_embd.weight" => e => e / embd == e % embd ? 1f : 0f,
                // Row j produces logit j: weight at column i when j is the successor of token i.
                "output.weight" => e => e % embd < vocab.Count && successor[e % embd] == e / embd ? SuccessorWeight : 0f,
                _ when dims.Count == 1 => _ => 1f,
                _ => _ => 0f,
            };
            TensorData.Write(output, type, count, value);
        });
    }

    /// <summary>Rank of <see cref="WriteSuccessorLora"/>'s adapters (only its first component is used).</summary>
    public const int SuccessorLoraRank = 4;

    /// <summary>adapter.lora.alpha of <see cref="WriteSuccessorLora"/>: llama.cpp scales the adapter by alpha / rank = 0.5.</summary>
    public const float SuccessorLoraAlpha = 2f;

    /// <summary>
    /// A LoRA adapter for the successor model (<see cref="WriteSuccessor"/>) that adds
    /// <param name="path">Where the GGUF is written.</param>
    /// <param name="boostedToken">The token the adapter pushes the model towards.</param>
    /// <param name="boost">The added weight, before scale × alpha / rank.</param>
    /// <paramref name="boost"/> × scale × alpha / rank to the weight from every input token to
    /// <paramref name="boostedToken"/> in output.weight. The successor's weight is <see cref="SuccessorWeight"/> (4) and
    /// every other weight 0, so with the adapter at scale s the model answers <paramref name="boostedToken"/> after every
    /// token when boost × s × alpha / rank &gt; 4, and follows <see cref="SuccessorModel"/> when it is below.
    /// </summary>
    /// <param name="architecture">general.architecture: "llama" fits; another is a mismatch llama.cpp refuses.</param>
    /// <param name="alpha">adapter.lora.alpha; null writes none (llama.cpp then uses the scale alone).</param>
    public static void WriteSuccessorLora(string path, int boostedToken, float boost, string architecture = "llama", float? alpha = SuccessorLoraAlpha)
    {
        long embd = SuccessorShape.EmbeddingLength;
        long vocab = SuccessorModel.Vocab.Count;
        const int rank = SuccessorLoraRank;
        // A (rank × n_embd): its first row sums the input. B (n_vocab × rank): that sum lands on the boosted token's row.
        var target = new LoraAdapterWriter.Target(
            "output.weight", embd, vocab,
            A: e => e / embd == 0 ? 1f : 0f,
            B: e => e / rank == boostedToken && e % rank == 0 ? boost : 0f);
        LoraAdapterWriter.Write(path, architecture, rank, alpha, [target]);
    }

    /// <summary>
    /// A LoRA adapter naming a weight the successor model lacks (blk.9 of a 2-block model): llama.cpp refuses it
    /// ("does not exist in base model").
    /// </summary>
    public static void WriteMisfitLora(string path)
    {
        long embd = SuccessorShape.EmbeddingLength;
        LoraAdapterWriter.Write(path, "llama", 1, 1f, [new LoraAdapterWriter.Target("blk.9.attn_q.weight", embd, embd, _ => 0f, _ => 0f)]);
    }

    /// <summary>A tiny BERT embedding model (WordPiece vocabulary, mean pooling, n_embd 32, 2 layers).</summary>
    public static void WriteEmbedding(string path, ulong seed = 7) => BertModelWriter.Write(path, seed);

    /// <summary>
    /// A tiny BERT reranker (cross-encoder): the embedding model's shape with pooling_type rank and a
    /// classification head, so llama.cpp returns one relevance score per sequence. Random weights: the
    /// scores vary with the input but mean nothing.
    /// </summary>
    public static void WriteReranker(string path, ulong seed = 11) => BertModelWriter.Write(path, seed, reranker: true);

    /// <summary>
    /// Shape of <see cref="WriteVisionProjector"/>: 32×32 images in 8×8 patches (16 embeddings per image),
    /// ViT width 32, projection 64 = <see cref="RandomShape"/>'s n_embd.
    /// </summary>
    public static ClipProjectorShape VisionProjectorShape { get; } = new() { ProjectionLength = RandomShape.EmbeddingLength };

    /// <summary>
    /// A tiny CLIP-style vision projector (mmproj, llava "mlp" type) for the <see cref="WriteRandom"/> text
    /// model (its output width is that model's n_embd); random weights, so different images give different
    /// embeddings and so different logits.
    /// </summary>
    public static void WriteVisionProjector(string path, ulong seed = 11) => ClipProjectorWriter.Write(path, VisionProjectorShape, seed);

    /// <summary>
    /// A Llama-3.2-1B-shaped F16 model (about 2.5 GB) with random weights, streamed to disk. For benchmarks only:
    /// generate on demand, never commit.
    /// </summary>
    public static void WriteBenchLlama1B(string path, ulong seed = 1)
    {
        LlamaModelWriter.Write(path, "corral-bench-llama-1b", BenchLlama1BShape, ByteLevelBpeVocab.CreateLlama3Sized(), (name, dims, type, output) =>
        {
            long count = dims.Aggregate(1L, (a, b) => a * b);
            if (type == GgmlType.F16)
            {
                TensorData.FastRandomF16(output, count, SplitMix64.Derive(seed, name));
            }
            else
            {
                TensorData.Constant(output, type, count, 1f);
            }
        });
    }
}
