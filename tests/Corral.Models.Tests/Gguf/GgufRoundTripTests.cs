using System.Buffers.Binary;
using Corral.Models.Gguf;

namespace Corral.Models.Tests.Gguf;

public sealed class GgufRoundTripTests
{
    public static TheoryData<string, GgufValue> Scalars() => new()
    {
        { "u8", GgufValue.FromUInt8(250) },
        { "i8", GgufValue.FromInt8(-120) },
        { "u16", GgufValue.FromUInt16(65000) },
        { "i16", GgufValue.FromInt16(-32000) },
        { "u32", GgufValue.FromUInt32(4_000_000_000) },
        { "i32", GgufValue.FromInt32(-2_000_000_000) },
        { "u64", GgufValue.FromUInt64(ulong.MaxValue - 1) },
        { "i64", GgufValue.FromInt64(long.MinValue + 1) },
        { "f32", GgufValue.FromFloat32(3.5e-6f) },
        { "f64", GgufValue.FromFloat64(-1.25e300) },
        { "bool-true", GgufValue.FromBool(true) },
        { "bool-false", GgufValue.FromBool(false) },
        { "string", GgufValue.FromString("héllo wörld ✓ {{ .Prompt }}") },
        { "empty-string", GgufValue.FromString("") },
        { "u8[]", GgufValue.FromArray(GgufArray.FromUInt8([0, 1, 255])) },
        { "i8[]", GgufValue.FromArray(GgufArray.FromInt8([-128, 0, 127])) },
        { "u16[]", GgufValue.FromArray(GgufArray.FromUInt16([1, 65535])) },
        { "i16[]", GgufValue.FromArray(GgufArray.FromInt16([-5, 5])) },
        { "u32[]", GgufValue.FromArray(GgufArray.FromUInt32([1, uint.MaxValue])) },
        { "i32[]", GgufValue.FromArray(GgufArray.FromInt32([1, 3, 6, -1])) },
        { "u64[]", GgufValue.FromArray(GgufArray.FromUInt64([ulong.MaxValue])) },
        { "i64[]", GgufValue.FromArray(GgufArray.FromInt64([long.MinValue, 0])) },
        { "f32[]", GgufValue.FromArray(GgufArray.FromFloat32([0f, -1.5f, float.Epsilon])) },
        { "f64[]", GgufValue.FromArray(GgufArray.FromFloat64([Math.PI])) },
        { "bool[]", GgufValue.FromArray(GgufArray.FromBool([true, false, true])) },
        { "string[]", GgufValue.FromStrings(["<s>", "", "Ġthe", "日本"]) },
        { "empty[]", GgufValue.FromArray(GgufArray.FromInt32([])) },
        { "nested[]", GgufValue.FromArray(GgufArray.FromArrays([GgufArray.FromStrings(["a", "b"]), GgufArray.FromInt32([7])])) },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void EveryValueTypeRoundTrips(string key, GgufValue value)
    {
        var writer = new GgufWriter();
        writer.Add(key, value);
        GgufFile file = WriteAndRead(writer);
        Assert.Equal(value.Type, file.Metadata[key].Type);
        Assert.Equal(value, file.Metadata[key]);
    }

    [Fact]
    public void MetadataKeepsOrderAndTypedAccessorsWork()
    {
        var writer = new GgufWriter()
            .AddString("general.architecture", "llama")
            .AddString("general.name", "tiny")
            .AddUInt32("llama.context_length", 2048)
            .AddInt32("tokenizer.ggml.bos_token_id", 1)
            .AddFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .AddStrings("tokenizer.ggml.tokens", ["a", "b", "c"]);
        GgufFile file = WriteAndRead(writer);

        Assert.Equal(["general.architecture", "general.name", "llama.context_length", "tokenizer.ggml.bos_token_id",
            "llama.attention.layer_norm_rms_epsilon", "tokenizer.ggml.tokens"], file.Metadata.Keys);
        Assert.Equal("llama", file.Architecture);
        Assert.Equal("tiny", file.Name);
        Assert.Equal(2048u, file.GetArchUInt32("context_length"));
        Assert.Equal(1u, file.GetUInt32("tokenizer.ggml.bos_token_id")); // an Int32 read as uint
        Assert.Equal(1e-5f, file.GetFloat32("llama.attention.layer_norm_rms_epsilon"));
        Assert.Equal(["a", "b", "c"], file.GetStrings("tokenizer.ggml.tokens"));
        Assert.Throws<InvalidCastException>(() => file.Get("general.name").AsUInt32());
        Assert.Throws<KeyNotFoundException>(() => file.Get("missing"));
        Assert.Null(file.FileType);
    }

    [Fact]
    public void TensorsRoundTripWithAlignedData()
    {
        byte[] a = Enumerable.Range(0, 3 * 4 * 4).Select(i => (byte)i).ToArray(); // F32 [4, 3]
        byte[] b = Enumerable.Range(0, 2 * 18).Select(i => (byte)(200 - i)).ToArray(); // Q4_0 [64]: 2 blocks of 18 bytes
        var writer = new GgufWriter().AddString("general.architecture", "test");
        writer.AddTensor("a", [4, 3], GgmlType.F32, a);
        writer.AddTensor("b.weight", [64], GgmlType.Q4_0, b);
        writer.AddTensor("c", [2, 2, 2, 2], GgmlType.F16, s => s.Write(new byte[32]));

        byte[] bytes = WriteBytes(writer);
        GgufFile file = GgufReader.Read(new MemoryStream(bytes));

        Assert.Equal(3, file.Tensors.Count);
        Assert.Equal(0, file.DataOffset % 32);
        GgufTensorInfo ta = file.TensorsByName["a"];
        Assert.Equal([4L, 3L], ta.Dimensions);
        Assert.Equal(GgmlType.F32, ta.Type);
        Assert.Equal(48L, ta.ByteSize);
        Assert.Equal(12L, ta.ElementCount);
        GgufTensorInfo tb = file.TensorsByName["b.weight"];
        Assert.Equal(36L, tb.ByteSize);
        Assert.Equal(0UL, tb.Offset % 32);
        Assert.Equal(a, bytes.AsSpan((int)file.GetTensorFileOffset(ta), a.Length).ToArray());
        Assert.Equal(b, bytes.AsSpan((int)file.GetTensorFileOffset(tb), b.Length).ToArray());
        Assert.Equal([2L, 2, 2, 2], file.TensorsByName["c"].Dimensions);
        Assert.Equal(12 + 64 + 16, file.ParameterCount);
        Assert.Equal(0, bytes.Length % 32);
    }

    [Fact]
    public void CustomAlignmentIsWrittenAndHonoured()
    {
        var writer = new GgufWriter(alignment: 64);
        writer.AddTensor("x", [3], GgmlType.F32, new byte[12]);
        writer.AddTensor("y", [3], GgmlType.F32, new byte[12]);
        GgufFile file = WriteAndRead(writer);

        Assert.Equal(64u, file.Alignment);
        Assert.Equal(64u, file.GetUInt32("general.alignment"));
        Assert.Equal(0, file.DataOffset % 64);
        Assert.Equal(64UL, file.TensorsByName["y"].Offset);
    }

    [Fact]
    public void MetadataOnlyKeepsArrayLengthsButNotElements()
    {
        var writer = new GgufWriter()
            .AddStrings("tokenizer.ggml.tokens", Enumerable.Range(0, 5000).Select(i => $"tok{i}"))
            .AddArray("tokenizer.ggml.token_type", GgufArray.FromInt32(new int[5000]))
            .AddArray("small", GgufArray.FromInt32([1, 2]))
            .AddUInt32("after", 42);
        byte[] bytes = WriteBytes(writer);

        GgufFile cheap = GgufReader.Read(new MemoryStream(bytes), GgufReadOptions.MetadataOnly);
        GgufArray tokens = cheap.GetArray("tokenizer.ggml.tokens");
        Assert.False(tokens.IsMaterialized);
        Assert.Equal(5000, tokens.Count);
        Assert.Equal(GgufValueType.String, tokens.ElementType);
        Assert.Throws<InvalidOperationException>(() => tokens.AsStrings());
        Assert.Equal(5000, cheap.GetArray("tokenizer.ggml.token_type").Count);
        Assert.Equal(42u, cheap.GetUInt32("after"));

        GgufFile partial = GgufReader.Read(new MemoryStream(bytes), new GgufReadOptions { MaxArrayElementsToMaterialize = 10 });
        Assert.False(partial.GetArray("tokenizer.ggml.tokens").IsMaterialized);
        Assert.Equal([1, 2], partial.GetArray("small").AsSpan<int>().ToArray());

        GgufFile full = GgufReader.Read(new MemoryStream(bytes));
        Assert.Equal("tok4999", full.GetStrings("tokenizer.ggml.tokens")[4999]);

        GgufFile vocabulary = GgufReader.Read(new MemoryStream(bytes), GgufReadOptions.MetadataOnly with { AlwaysMaterialize = new HashSet<string> { "tokenizer.ggml.tokens" } });
        Assert.Equal("tok4999", vocabulary.GetStrings("tokenizer.ggml.tokens")[4999]);
        Assert.False(vocabulary.GetArray("tokenizer.ggml.token_type").IsMaterialized);
        Assert.False(vocabulary.GetArray("small").IsMaterialized);
        Assert.Equal(42u, vocabulary.GetUInt32("after"));
    }

    [Fact]
    public void ArrayAccessorsCheckTheElementType()
    {
        GgufArray ints = GgufArray.FromInt32([1, 2, 3]);
        Assert.Throws<InvalidCastException>(() => ints.AsSpan<uint>());
        Assert.Throws<InvalidCastException>(() => ints.AsStrings());
        Assert.Equal(GgufValue.FromInt32(2), ints.GetElement(1));
    }

    [Fact]
    public void WriterRejectsWrongDataLength()
    {
        var shortWriter = new GgufWriter();
        shortWriter.AddTensor("t", [8], GgmlType.F32, new byte[31]);
        Assert.Contains("expected 32", Assert.Throws<InvalidOperationException>(() => WriteBytes(shortWriter)).Message);

        var longWriter = new GgufWriter();
        longWriter.AddTensor("t", [8], GgmlType.F32, new byte[33]);
        Assert.Contains("longer than", Assert.Throws<InvalidOperationException>(() => WriteBytes(longWriter)).Message);
    }

    [Fact]
    public void WriterRejectsDuplicatesAndBadShapes()
    {
        var writer = new GgufWriter().AddUInt32("k", 1);
        Assert.Throws<ArgumentException>(() => writer.AddUInt32("k", 2));
        writer.AddTensor("t", [8], GgmlType.F32, new byte[32]);
        Assert.Throws<ArgumentException>(() => writer.AddTensor("t", [8], GgmlType.F32, new byte[32]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("q", [33], GgmlType.Q4_0, new byte[18]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("z", [0], GgmlType.F32, Array.Empty<byte>()));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("five", [1, 1, 1, 1, 1], GgmlType.F32, new byte[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GgufWriter(alignment: 48));
    }

    [Fact]
    public void WriteToPathIsAtomicAndLeavesNoTempFiles()
    {
        string dir = Directory.CreateTempSubdirectory("gguf-").FullName;
        try
        {
            string path = Path.Combine(dir, "m.gguf");
            var writer = new GgufWriter().AddString("general.architecture", "x");
            writer.AddTensor("t", [8], GgmlType.F32, s => throw new IOException("disk full"));
            Assert.Throws<IOException>(() => writer.WriteTo(path));
            Assert.Empty(Directory.GetFiles(dir));

            var ok = new GgufWriter().AddString("general.architecture", "x");
            ok.WriteTo(path);
            Assert.Equal("x", GgufReader.Read(path).Architecture);
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void HeaderBytesMatchTheFormat()
    {
        byte[] bytes = WriteBytes(new GgufWriter().AddUInt32("k", 7));
        Assert.Equal("GGUF"u8.ToArray(), bytes[..4]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24))); // key length
        Assert.Equal((byte)'k', bytes[32]);
        Assert.Equal((uint)GgufValueType.UInt32, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(33)));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(37)));
        Assert.Equal(41, bytes.Length); // no padding without tensors
    }

    [Theory]
    [InlineData(GgmlType.F32, 1, 4)]
    [InlineData(GgmlType.F16, 1, 2)]
    [InlineData(GgmlType.Q4_0, 32, 18)]
    [InlineData(GgmlType.Q8_0, 32, 34)]
    [InlineData(GgmlType.Q4_K, 256, 144)]
    [InlineData(GgmlType.Q6_K, 256, 210)]
    [InlineData(GgmlType.BF16, 1, 2)]
    [InlineData(GgmlType.MXFP4, 32, 17)]
    public void TypeSizesMatchGgml(GgmlType type, int block, int bytes)
    {
        Assert.Equal(block, GgmlTypeInfo.BlockSize(type));
        Assert.Equal(bytes, GgmlTypeInfo.TypeSize(type));
    }

    [Fact]
    public void RemovedTypesAreUnknown()
    {
        Assert.False(GgmlTypeInfo.IsKnown((GgmlType)4));
        Assert.False(GgmlTypeInfo.IsKnown((GgmlType)31));
        Assert.False(GgmlTypeInfo.IsKnown((GgmlType)43));
        Assert.True(GgmlTypeInfo.IsKnown(GgmlType.Q2_0));
    }

    private static byte[] WriteBytes(GgufWriter writer)
    {
        var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    private static GgufFile WriteAndRead(GgufWriter writer) => GgufReader.Read(new MemoryStream(WriteBytes(writer)));
}
