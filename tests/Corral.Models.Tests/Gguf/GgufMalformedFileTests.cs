using Corral.Models.Gguf;

namespace Corral.Models.Tests.Gguf;

public sealed class GgufMalformedFileTests
{
    [Fact]
    public void SmallValidFileReads()
    {
        GgufFile file = GgufReader.Read(new MemoryStream(GgufTestFiles.SmallValidFile()));
        Assert.Equal("llama", file.Architecture);
        Assert.Equal(2u, file.GetUInt32("llama.block_count"));
        Assert.Equal(32L, file.Tensors.Single().ByteSize);
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        byte[] full = GgufTestFiles.SmallValidFile();
        for (int length = 0; length < full.Length; length++)
        {
            var ex = Assert.Throws<GgufFormatException>(() => GgufReader.Read(new MemoryStream(full, 0, length)));
            Assert.StartsWith("invalid GGUF file:", ex.Message);
        }
    }

    [Fact]
    public void BadMagic() =>
        new GgufTestFiles().Raw("GGUX"u8).U32(3).U64(0).U64(0).ReadFails("bad magic");

    [Fact]
    public void Version1IsRejected() => GgufTestFiles.Header(0, 0, version: 1).ReadFails("version 1 is not supported");

    [Fact]
    public void UnknownVersionIsRejected() => GgufTestFiles.Header(0, 0, version: 4).ReadFails("unsupported GGUF version 4");

    [Fact]
    public void BigEndianFileIsNamed() => GgufTestFiles.Header(0, 0, version: 0x03000000).ReadFails("big-endian");

    [Fact]
    public void Version2IsAccepted() => Assert.Equal(2u, GgufTestFiles.Header(0, 0, version: 2).Read().Version);

    [Fact]
    public void AbsurdTensorCount() => GgufTestFiles.Header(1UL << 63, 0).ReadFails("tensor count 9223372036854775808");

    [Fact]
    public void KvCountLargerThanFile() => GgufTestFiles.Header(0, 1000).KvU32("a", 1).ReadFails("metadata count 1000");

    [Fact]
    public void KeyLengthOfTwoToThe64MinusOne()
    {
        var ex = GgufTestFiles.Header(0, 1).U64(ulong.MaxValue).U32(4).U32(0).ReadFails("claims 18446744073709551615 bytes");
        Assert.Equal(24, ex.Offset);
    }

    [Fact]
    public void StringValueLongerThanFile() =>
        GgufTestFiles.Header(0, 1).Str("k").U32((uint)GgufValueType.String).U64(1000).Raw("abc"u8).ReadFails("claims 1000 bytes");

    [Fact]
    public void InvalidUtf8Key() =>
        GgufTestFiles.Header(0, 1).StrBytes([0x66, 0xC3, 0x28]).U32(4).U32(1).ReadFails("not valid UTF-8");

    [Fact]
    public void UnknownValueType() =>
        GgufTestFiles.Header(0, 1).Str("k").U32(13).U32(0).ReadFails("unknown value type 13");

    [Fact]
    public void UnknownArrayElementType() =>
        GgufTestFiles.Header(0, 1).Str("k").U32((uint)GgufValueType.Array).U32(99).U64(0).ReadFails("unknown value type 99");

    [Fact]
    public void ArrayCountLargerThanFile() =>
        GgufTestFiles.Header(0, 1).Str("k").U32((uint)GgufValueType.Array).U32((uint)GgufValueType.UInt64).U64(1UL << 60).U64(0)
            .ReadFails("claims 1152921504606846976 UInt64 elements");

    [Fact]
    public void StringArrayCountLargerThanFile() =>
        GgufTestFiles.Header(0, 1).Str("k").U32((uint)GgufValueType.Array).U32((uint)GgufValueType.String).U64(ulong.MaxValue)
            .ReadFails("claims 18446744073709551615 String elements");

    [Fact]
    public void ArrayCountLargerThanFileIsCaughtEvenWhenSkipping()
    {
        byte[] bytes = GgufTestFiles.Header(0, 1).Str("k").U32((uint)GgufValueType.Array).U32((uint)GgufValueType.Int32).U64(1000).U32(0).ToArray();
        Assert.Throws<GgufFormatException>(() => GgufReader.Read(new MemoryStream(bytes), GgufReadOptions.MetadataOnly));
    }

    [Fact]
    public void DeeplyNestedArrays()
    {
        var f = GgufTestFiles.Header(0, 1).Str("k").U32((uint)GgufValueType.Array);
        for (int i = 0; i < 20; i++)
        {
            f.U32((uint)GgufValueType.Array).U64(1);
        }

        f.ReadFails("nested more than");
    }

    [Fact]
    public void DuplicateKey() => GgufTestFiles.Header(0, 2).KvU32("k", 1).KvU32("k", 2).ReadFails("duplicate metadata key 'k'");

    [Fact]
    public void AlignmentNotPowerOfTwo() => GgufTestFiles.Header(0, 1).KvU32("general.alignment", 24).ReadFails("not a power of two");

    [Fact]
    public void AlignmentZero() => GgufTestFiles.Header(0, 1).KvU32("general.alignment", 0).ReadFails("not a power of two");

    [Fact]
    public void AlignmentOfWrongType() => GgufTestFiles.Header(0, 1).KvString("general.alignment", "32").ReadFails("must be a UInt32");

    [Fact]
    public void UnknownGgmlType() => OneTensor([8], (GgmlType)4, 0).ReadFails("unknown ggml type 4");

    [Fact]
    public void FiveDimensions() => OneTensor([1, 1, 1, 1, 1], GgmlType.F32, 0).ReadFails("5 dimensions");

    [Fact]
    public void ZeroDimensions() => OneTensor([], GgmlType.F32, 0).ReadFails("0 dimensions");

    [Fact]
    public void ZeroSizedDimension() => OneTensor([8, 0], GgmlType.F32, 0).ReadFails("invalid dimension 1 of size 0");

    [Fact]
    public void NegativeDimension() => OneTensor([8, -1], GgmlType.F32, 0).ReadFails("invalid dimension 1");

    [Fact]
    public void DimensionProductOverflows() =>
        OneTensor([1L << 32, 1L << 32], GgmlType.F32, 0).ReadFails("overflows");

    [Fact]
    public void ByteSizeOverflows() => OneTensor([1L << 62], GgmlType.F32, 0).ReadFails("byte size overflows");

    [Fact]
    public void RowNotMultipleOfBlockSize() => OneTensor([33], GgmlType.Q4_0, 0).ReadFails("not a multiple of the Q4_0 block size 32");

    [Fact]
    public void MisalignedOffset() => OneTensor([8], GgmlType.F32, 4, dataBytes: 64).ReadFails("offset 4 is not a multiple of the alignment 32");

    [Fact]
    public void TensorDataPastEndOfFile() => OneTensor([8], GgmlType.F32, 32, dataBytes: 32).ReadFails("extends past the end of the file");

    [Fact]
    public void HugeOffsetPastEndOfFile() => OneTensor([8], GgmlType.F32, ulong.MaxValue - 31, dataBytes: 32).ReadFails("extends past the end");

    [Fact]
    public void OverlappingTensors() =>
        GgufTestFiles.Header(2, 0).TensorInfo("a", [16], GgmlType.F32, 0).TensorInfo("b", [8], GgmlType.F32, 32)
            .Align().Zeros(64).ReadFails("tensors 'a' and 'b' overlap");

    [Fact]
    public void DuplicateTensorNames() =>
        GgufTestFiles.Header(2, 0).TensorInfo("a", [8], GgmlType.F32, 0).TensorInfo("a", [8], GgmlType.F32, 32)
            .Align().Zeros(64).ReadFails("duplicate tensor name 'a'");

    [Fact]
    public void TensorNameTooLong() => GgufTestFiles.Header(1, 0).TensorInfo(new string('x', 64), [8], GgmlType.F32, 0)
        .Align().Zeros(32).ReadFails("longer than 63 bytes");

    [Fact]
    public void InvalidUtf8TensorName() =>
        GgufTestFiles.Header(1, 0).StrBytes([0xFF]).U32(1).U64(8).U32(0).U64(0).Align().Zeros(32).ReadFails("not valid UTF-8");

    [Fact]
    public void ExceptionCarriesOffset()
    {
        var ex = GgufTestFiles.Header(0, 1).Str("k").U32(77).ReadFails("unknown value type 77");
        Assert.Equal(24 + 8 + 1, ex.Offset);
        Assert.Contains("offset 33", ex.Message);
    }

    [Fact]
    public void NonSeekableStreamIsRefusedClearly()
    {
        var pipe = new NonSeekableStream(GgufTestFiles.SmallValidFile());
        Assert.Throws<ArgumentException>(() => GgufReader.Read(pipe));
    }

    [Fact]
    public void HugeClaimsDoNotAllocate()
    {
        // 2^40 Int8 elements in a 50-byte file: rejected from the lengths alone.
        long before = GC.GetAllocatedBytesForCurrentThread();
        GgufTestFiles.Header(0, 1).Str("k").U32((uint)GgufValueType.Array).U32((uint)GgufValueType.Int8).U64(1UL << 40)
            .ReadFails("claims");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    private static GgufTestFiles OneTensor(long[] dims, GgmlType type, ulong offset, int dataBytes = 32) =>
        GgufTestFiles.Header(1, 0).TensorInfo("t", dims, type, offset).Align().Zeros(dataBytes);

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
