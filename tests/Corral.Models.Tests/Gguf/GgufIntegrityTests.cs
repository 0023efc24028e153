using Corral.Models.Gguf;
using Corral.TestModels;

namespace Corral.Models.Tests.Gguf;

/// <summary>
/// <see cref="GgufIntegrity"/> on generated models, each with one defect that was seen to crash or fail the pinned
/// llama.cpp, and on the ones llama.cpp runs (which must pass).
/// </summary>
public sealed class GgufIntegrityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("corral-integrity-").FullName;
    private readonly string _random;

    public GgufIntegrityTests()
    {
        _random = Path.Combine(_dir, "random.gguf");
        TestModelWriter.WriteRandom(_random);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> GeneratedModels() =>
        ["random-f32", "random-f16", "successor", "tool-caller", "thinker", "embedding", "reranker", "vision-projector"];

    [Theory]
    [MemberData(nameof(GeneratedModels))]
    public void EveryGeneratedTestModel_Passes(string kind)
    {
        string path = Path.Combine(_dir, kind + ".gguf");
        Action<string> write = kind switch
        {
            "random-f32" => p => TestModelWriter.WriteRandom(p),
            "random-f16" => p => TestModelWriter.WriteRandom(p, weightType: GgmlType.F16),
            "successor" => TestModelWriter.WriteSuccessor,
            "tool-caller" => TestModelWriter.WriteToolCaller,
            "thinker" => TestModelWriter.WriteThinker,
            "embedding" => p => TestModelWriter.WriteEmbedding(p),
            "reranker" => p => TestModelWriter.WriteReranker(p),
            _ => p => TestModelWriter.WriteVisionProjector(p),
        };
        write(path);

        Assert.Empty(Problems(path));
    }

    /// <summary>The real Llama 3.2 1B Q4_K_M and BERT the benches use, where this machine has them.</summary>
    [Theory]
    [InlineData("/tmp/corral-bench/llama-1b-q4_k_m.gguf")]
    [InlineData("/tmp/corral-bench/bert-embedding.gguf")]
    public void RealModels_Pass(string path)
    {
        if (File.Exists(path))
        {
            Assert.Empty(Problems(path));
        }
    }

    /// <summary>
    /// The types llama.cpp segfaults or aborts on as a stored weight (one weight of each type, one decode, on the
    /// pinned build); every other type it knows ran, and the types it removed are refused by the reader already.
    /// </summary>
    [Fact]
    public void TypesUsableAsWeights_AreExactlyTheOnesLlamaCppRan()
    {
        var refused = Enum.GetValues<GgmlType>().Where(t => !GgmlTypeInfo.IsUsableAsWeight(t)).Select(t => (int)t);
        Assert.Equal([9, 15, 24, 25, 26, 27, 28], refused.Order());
    }

    [Theory]
    [InlineData(GgmlType.Q8_1)]
    [InlineData(GgmlType.I8)]
    [InlineData(GgmlType.I16)]
    [InlineData(GgmlType.I32)]
    [InlineData(GgmlType.I64)]
    [InlineData(GgmlType.F64)]
    public void AWeightOfATypeLlamaCppCannotComputeWith_IsRefused(GgmlType type)
    {
        string path = Broken(p => BrokenModelWriter.WithTensorType(_random, p, "blk.0.attn_q.weight", type));

        string problem = Assert.Single(Problems(path));
        Assert.Equal($"tensor 'blk.0.attn_q.weight' has type {type} ({(int)type}), which llama.cpp cannot compute with", problem);
    }

    [Theory]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(-1e-5f, "-9.999999747378752E-06 (ggml's norms need an epsilon >= 0)")]
    public void ABadRmsEpsilon_IsRefused(float epsilon, string shown)
    {
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, "llama.attention.layer_norm_rms_epsilon", GgufValue.FromFloat32(epsilon)));

        Assert.Equal($"llama.attention.layer_norm_rms_epsilon is {shown}", Assert.Single(Problems(path)));
    }

    [Fact]
    public void AZeroEpsilon_Passes_LlamaCppRunsIt()
    {
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, "llama.attention.layer_norm_rms_epsilon", GgufValue.FromFloat32(0)));

        Assert.Empty(Problems(path));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-10000f)]
    public void ARopeBaseThatIsNotPositive_IsRefused(float freqBase)
    {
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, "llama.rope.freq_base", GgufValue.FromFloat32(freqBase)));

        Assert.StartsWith("llama.rope.freq_base is ", Assert.Single(Problems(path)));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(513u)]
    public void ABlockCountLlamaCppAssertsOn_IsRefused(uint blocks)
    {
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, "llama.block_count", GgufValue.FromUInt32(blocks)));

        Assert.Contains($"llama.block_count is {blocks} (llama.cpp needs 1 to 512)", Problems(path));
    }

    [Fact]
    public void FewerScoresThanTokens_IsRefused()
    {
        int tokens = (int)GgufReader.Read(_random).GetArray(GgufKeys.Tokens).Count;
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, GgufKeys.Scores, GgufValue.FromArray(GgufArray.FromFloat32(new float[tokens - 1]))));

        Assert.Equal($"tokenizer.ggml.scores has {tokens - 1} entries for {tokens} tokens", Assert.Single(Problems(path)));
    }

    [Fact]
    public void FewerTokenTypesThanTokens_IsRefused()
    {
        int[] types = GgufReader.Read(_random).GetArray(GgufKeys.TokenTypes).AsSpan<int>().ToArray();
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, GgufKeys.TokenTypes, GgufValue.FromArray(GgufArray.FromInt32(types[..^1]))));

        Assert.Equal($"tokenizer.ggml.token_type has {types.Length - 1} entries for {types.Length} tokens", Assert.Single(Problems(path)));
    }

    [Fact]
    public void AFlippedByteThatDuplicatesAToken_IsRefused()
    {
        // Token 65 is "A"; one flipped bit pair makes it "B", token 66: llama.cpp's GGML_ASSERT(id_to_token.size() == token_to_id.size()).
        string path = Broken(p => BrokenModelWriter.WithFlippedTokenByte(_random, p, tokenId: 65, byteIndex: 0, mask: 0x03));

        Assert.Equal("tokens 65 and 66 are both 'B' (llama.cpp aborts on a duplicate token)", Assert.Single(Problems(path)));
    }

    [Theory]
    [InlineData(65, 0, 0x80)] // "A" -> 0xC1: a lead byte of nothing
    [InlineData(10, 1, 0x80)] // "Ċ" (C4 8A) -> C4 0A: a truncated sequence
    public void AFlippedByteThatOnlyBreaksUtf8_Passes_LlamaCppRunsIt(int tokenId, int byteIndex, int mask)
    {
        string path = Broken(p => BrokenModelWriter.WithFlippedTokenByte(_random, p, tokenId, byteIndex, (byte)mask));

        Assert.Empty(Problems(path));
    }

    [Fact]
    public void TwoTokensThatDifferOnlyInInvalidUtf8_AreNotDuplicates()
    {
        // Decoded as UTF-8 both would be "\uFFFD"; llama.cpp compares bytes.
        string once = Broken(p => BrokenModelWriter.WithFlippedTokenByte(_random, p, tokenId: 65, byteIndex: 0, mask: 0x80));
        string twice = Broken(p => BrokenModelWriter.WithFlippedTokenByte(once, p, tokenId: 66, byteIndex: 0, mask: 0x80));

        Assert.Empty(Problems(twice));
    }

    [Fact]
    public void AByteTypedTokenTooShortForItsHexDigits_IsRefused()
    {
        int[] types = GgufReader.Read(_random).GetArray(GgufKeys.TokenTypes).AsSpan<int>().ToArray();
        types[65] = 6; // LLAMA_TOKEN_TYPE_BYTE: llama.cpp reads text.substr(3, 2) of "A" and fails every load
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, GgufKeys.TokenTypes, GgufValue.FromArray(GgufArray.FromInt32(types))));

        Assert.Equal("token 65 ('A') has type BYTE but is too short to be a byte token like <0x0A>", Assert.Single(Problems(path)));
    }

    [Fact]
    public void ATokenTypeOutsideLlamaCppsEnum_Passes_ItIsReadAsUndefined()
    {
        int[] types = GgufReader.Read(_random).GetArray(GgufKeys.TokenTypes).AsSpan<int>().ToArray();
        types[65] = 99;
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, GgufKeys.TokenTypes, GgufValue.FromArray(GgufArray.FromInt32(types))));

        Assert.Empty(Problems(path));
    }

    [Fact]
    public void AttentionShapesThatContradictTheHeadCounts_AreRefused()
    {
        // 4 KV heads of 16: attn_k and attn_v should be [64, 64]; the file's are [64, 32].
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, "llama.attention.head_count_kv", GgufValue.FromUInt32(4)));

        var problems = Problems(path);
        Assert.Contains("tensor 'blk.0.attn_k.weight' is [64, 32], but the header's hyper-parameters make it [64, 64]", problems);
        Assert.Contains("tensor 'blk.1.attn_v.weight' is [64, 32], but the header's hyper-parameters make it [64, 64]", problems);
    }

    [Fact]
    public void KvHeadsThatDoNotDivideTheHeads_AreRefused()
    {
        string path = Broken(p => BrokenModelWriter.WithMetadata(_random, p, "llama.attention.head_count_kv", GgufValue.FromUInt32(3)));

        Assert.Contains("llama.attention.head_count 4 is not a multiple of llama.attention.head_count_kv 3", Problems(path));
    }

    [Fact]
    public void Check_ThrowsWithTheFirstProblems()
    {
        string path = Broken(p => BrokenModelWriter.WithTensorType(_random, p, "blk.1.ffn_up.weight", GgmlType.I32));

        var ex = Assert.Throws<GgufFormatException>(() => GgufIntegrity.Check(GgufReader.Read(path, GgufIntegrity.ReadOptions)));
        Assert.Equal(
            "invalid GGUF file: llama.cpp cannot run this model: tensor 'blk.1.ffn_up.weight' has type I32 (26), which llama.cpp cannot compute with",
            ex.Message);
    }

    [Fact]
    public void RawTokens_WriteBackAsTheSameBytes()
    {
        string flipped = Broken(p => BrokenModelWriter.WithFlippedTokenByte(_random, p, tokenId: 65, byteIndex: 0, mask: 0x80));
        GgufFile raw = GgufReader.Read(flipped, GgufIntegrity.ReadOptions);
        var w = new GgufWriter();
        w.Add(GgufKeys.Tokens, raw.Metadata[GgufKeys.Tokens]);
        string copy = Path.Combine(_dir, "tokens-only.gguf");
        w.WriteTo(copy);

        Assert.Equal("\u00C1", GgufReader.Read(copy, GgufIntegrity.ReadOptions).GetStrings(GgufKeys.Tokens)[65]);
    }

    private string Broken(Action<string> write)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".gguf");
        write(path);
        return path;
    }

    private static IReadOnlyList<string> Problems(string path) => GgufIntegrity.FindProblems(GgufReader.Read(path, GgufIntegrity.ReadOptions));
}
