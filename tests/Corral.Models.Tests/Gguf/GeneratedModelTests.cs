using System.Security.Cryptography;
using Corral.Models.Gguf;
using Corral.TestModels;

namespace Corral.Models.Tests.Gguf;

public sealed class GeneratedModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("corral-models-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(GgmlType.F32)]
    [InlineData(GgmlType.F16)]
    public void RandomModelHasLlamaKeysAndTensors(GgmlType weightType)
    {
        string path = Path.Combine(_dir, "random.gguf");
        TestModelWriter.WriteRandom(path, seed: 3, weightType);
        GgufFile file = GgufReader.Read(path);

        Assert.Equal("llama", file.Architecture);
        Assert.Equal(weightType == GgmlType.F16 ? 1u : 0u, file.FileType);
        Assert.Equal(64u, file.GetArchUInt32("embedding_length"));
        Assert.Equal(2u, file.GetArchUInt32("block_count"));
        Assert.Equal(4u, file.GetArchUInt32("attention.head_count"));
        Assert.Equal(2u, file.GetArchUInt32("attention.head_count_kv"));
        Assert.Equal(128u, file.GetArchUInt32("feed_forward_length"));
        Assert.Equal(2048u, file.GetArchUInt32("context_length"));
        Assert.Equal(16u, file.GetArchUInt32("rope.dimension_count"));
        Assert.Equal("gpt2", file.GetString("tokenizer.ggml.model"));
        Assert.Contains("<|start_header_id|>", file.GetString("tokenizer.chat_template"));

        int vocab = file.GetStrings("tokenizer.ggml.tokens").Count;
        Assert.Equal(vocab, file.GetArray("tokenizer.ggml.token_type").AsSpan<int>().Length);
        Assert.Equal((uint)vocab, file.GetArchUInt32("vocab_size"));
        Assert.Equal(2 + 2 * 9 + 1, file.Tensors.Count);
        Assert.Equal([64L, vocab], file.TensorsByName["token_embd.weight"].Dimensions);
        Assert.Equal([64L, 32], file.TensorsByName["blk.1.attn_k.weight"].Dimensions);
        Assert.Equal([128L, 64], file.TensorsByName["blk.0.ffn_down.weight"].Dimensions);
        Assert.Equal(weightType, file.TensorsByName["blk.0.attn_q.weight"].Type);
        Assert.Equal(GgmlType.F32, file.TensorsByName["output_norm.weight"].Type);
        Assert.Equal(file.FileSize, file.DataOffset + file.Tensors.Max(t => (long)t.Offset + t.ByteSize));
    }

    [Fact]
    public void RandomModelIsDeterministicPerSeed()
    {
        string a = Path.Combine(_dir, "a.gguf"), b = Path.Combine(_dir, "b.gguf"), c = Path.Combine(_dir, "c.gguf");
        TestModelWriter.WriteRandom(a, seed: 5);
        TestModelWriter.WriteRandom(b, seed: 5);
        TestModelWriter.WriteRandom(c, seed: 6);
        Assert.Equal(Hash(a), Hash(b));
        Assert.NotEqual(Hash(a), Hash(c));
    }

    [Fact]
    public void VocabularyHasBytesMergesAndControlTokens()
    {
        string path = Path.Combine(_dir, "s.gguf");
        TestModelWriter.WriteSuccessor(path);
        GgufFile file = GgufReader.Read(path);
        IReadOnlyList<string> tokens = file.GetStrings("tokenizer.ggml.tokens");
        ReadOnlySpan<int> types = file.GetArray("tokenizer.ggml.token_type").AsSpan<int>();

        Assert.Equal("a", tokens['a']);
        Assert.Equal("\u0120", tokens[' ']); // GPT-2 byte-to-unicode: space is 'Ġ'
        Assert.Equal("\u010A", tokens['\n']);
        Assert.Equal(["! !", "!! !", "? ?", "\u010A \u010A"], file.GetStrings("tokenizer.ggml.merges"));
        Assert.Contains("!!!", tokens);
        Assert.Equal(tokens.Count, tokens.Distinct().Count());

        int bos = (int)file.GetUInt32("tokenizer.ggml.bos_token_id");
        int eos = (int)file.GetUInt32("tokenizer.ggml.eos_token_id");
        int eot = (int)file.GetUInt32("tokenizer.ggml.eot_token_id");
        Assert.Equal("<|begin_of_text|>", tokens[bos]);
        Assert.Equal("<|end_of_text|>", tokens[eos]);
        Assert.Equal("<|eot_id|>", tokens[eot]);
        Assert.Equal((int)LlamaTokenType.Control, types[eot]);
        Assert.Equal((int)LlamaTokenType.Control, types[tokens.ToList().IndexOf("<|end_header_id|>")]);
        Assert.Equal((int)LlamaTokenType.Normal, types['a']);
    }

    [Fact]
    public void SuccessorWeightsEncodeTheSuccessorFunction()
    {
        string path = Path.Combine(_dir, "s.gguf");
        TestModelWriter.WriteSuccessor(path);
        GgufFile file = GgufReader.Read(path);
        GgufTensorInfo output = file.TensorsByName["output.weight"];
        int embd = (int)output.Dimensions[0], vocab = (int)output.Dimensions[1];
        float[] weights = ReadF32(path, file, output);

        for (int input = 0; input < vocab; input++)
        {
            // Exactly one row has weight at this input's column, and it is the successor.
            int[] rows = Enumerable.Range(0, vocab).Where(j => weights[j * embd + input] != 0).ToArray();
            Assert.Equal([SuccessorModel.NextToken(input)], rows);
        }

        float[] embedding = ReadF32(path, file, file.TensorsByName["token_embd.weight"]);
        Assert.Equal(vocab, embedding.Count(v => v == 1f));
        Assert.Equal(1f, embedding['q' * embd + 'q']);
        Assert.All(ReadF32(path, file, file.TensorsByName["blk.0.ffn_down.weight"]), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData("hello a", 100, "bcdefghijklmnopqrstuvwxyz", true)]
    [InlineData("hello a", 3, "bcd", false)]
    [InlineData("count 7", 12, "890123456789", false)]
    [InlineData("the end.", 10, "", true)]
    [InlineData("Why? ", 30, SuccessorModel.Alphabet, true)]
    [InlineData("x\n\n", 30, SuccessorModel.Alphabet, true)]
    [InlineData("wow!!!", 2, "ab", false)]
    [InlineData("y", 5, "z", true)]
    public void SuccessorExpectations(string prompt, int maxTokens, string text, bool ended)
    {
        SuccessorExpectation e = SuccessorModel.ExpectedContinuation(prompt, maxTokens);
        Assert.Equal(text, e.Text);
        Assert.Equal(text.Length, e.TokenCount);
        Assert.Equal(ended, e.EndedWithEndOfGeneration);
    }

    [Fact]
    public void EmbeddingModelHasBertKeysAndTensors()
    {
        string path = Path.Combine(_dir, "e.gguf");
        TestModelWriter.WriteEmbedding(path);
        GgufFile file = GgufReader.Read(path);

        Assert.Equal("bert", file.Architecture);
        Assert.Equal(1u, file.GetArchUInt32("pooling_type"));
        Assert.False(file.GetBool("bert.attention.causal"));
        Assert.Equal("bert", file.GetString("tokenizer.ggml.model"));
        IReadOnlyList<string> tokens = file.GetStrings("tokenizer.ggml.tokens");
        Assert.Equal("[CLS]", tokens[(int)file.GetUInt32("tokenizer.ggml.cls_token_id")]);
        Assert.Equal("[SEP]", tokens[(int)file.GetUInt32("tokenizer.ggml.seperator_token_id")]);
        Assert.Equal("[UNK]", tokens[(int)file.GetUInt32("tokenizer.ggml.unknown_token_id")]);
        Assert.Contains("\u2581hello", tokens);
        Assert.Contains("ing", tokens);
        Assert.True(tokens.Count > 150);
        foreach (string name in new[] { "token_embd.weight", "token_types.weight", "position_embd.weight", "token_embd_norm.bias",
                     "blk.1.attn_q.bias", "blk.1.attn_output_norm.weight", "blk.1.ffn_down.bias", "blk.1.layer_output_norm.bias" })
        {
            Assert.True(file.TensorsByName.ContainsKey(name), name);
        }

        Assert.Equal([32L, 512], file.TensorsByName["position_embd.weight"].Dimensions);
    }

    [Fact]
    public void BenchShapeMatchesLlama32OneB()
    {
        LlamaShape s = TestModelWriter.BenchLlama1BShape;
        var vocab = ByteLevelBpeVocab.CreateLlama3Sized();
        Assert.Equal(128256, vocab.Count);
        Assert.Equal(128000, vocab.BosId);
        Assert.Equal(128001, vocab.EosId);
        long kv = (long)s.HeadCountKv * s.HeadDimension;
        long perLayer = 2L * s.EmbeddingLength * s.EmbeddingLength + 2 * s.EmbeddingLength * kv + 3L * s.EmbeddingLength * s.FeedForwardLength + 2 * s.EmbeddingLength;
        long parameters = vocab.Count * (long)s.EmbeddingLength + s.BlockCount * perLayer + s.EmbeddingLength;
        Assert.InRange(parameters, 1_230_000_000, 1_240_000_000);
    }

    private static float[] ReadF32(string path, GgufFile file, GgufTensorInfo tensor)
    {
        Assert.Equal(GgmlType.F32, tensor.Type);
        using var stream = File.OpenRead(path);
        stream.Position = file.GetTensorFileOffset(tensor);
        byte[] bytes = new byte[tensor.ByteSize];
        stream.ReadExactly(bytes);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
