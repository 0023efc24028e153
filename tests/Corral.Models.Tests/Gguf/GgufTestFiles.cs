using System.Text;
using Corral.Models.Gguf;

namespace Corral.Models.Tests.Gguf;

/// <summary>
/// Builds GGUF bytes by hand so tests can produce files the writer would refuse to: wrong magic, lying
/// counts and lengths, bad types, misplaced tensors.
/// </summary>
internal sealed class GgufTestFiles : IDisposable
{
    private readonly MemoryStream _bytes = new();
    private readonly BinaryWriter _w;

    public GgufTestFiles()
    {
        _w = new BinaryWriter(_bytes, Encoding.UTF8, leaveOpen: true);
    }

    public long Length => _bytes.Length;

    public void Dispose()
    {
        _w.Dispose();
        _bytes.Dispose();
    }

    /// <summary>Magic, version and the two counts.</summary>
    public static GgufTestFiles Header(ulong tensorCount, ulong kvCount, uint version = 3) =>
        new GgufTestFiles().Raw("GGUF"u8).U32(version).U64(tensorCount).U64(kvCount);

    public GgufTestFiles Raw(ReadOnlySpan<byte> bytes)
    {
        _w.Write(bytes);
        return this;
    }

    public GgufTestFiles U8(byte v) { _w.Write(v); return this; }
    public GgufTestFiles U32(uint v) { _w.Write(v); return this; }
    public GgufTestFiles U64(ulong v) { _w.Write(v); return this; }

    public GgufTestFiles Str(string s) => StrBytes(Encoding.UTF8.GetBytes(s));

    public GgufTestFiles StrBytes(byte[] bytes) => U64((ulong)bytes.Length).Raw(bytes);

    public GgufTestFiles KvU32(string key, uint value) => Str(key).U32((uint)GgufValueType.UInt32).U32(value);

    public GgufTestFiles KvString(string key, string value) => Str(key).U32((uint)GgufValueType.String).Str(value);

    public GgufTestFiles TensorInfo(string name, long[] dims, GgmlType type, ulong offset)
    {
        Str(name).U32((uint)dims.Length);
        foreach (long d in dims)
        {
            U64((ulong)d);
        }

        return U32((uint)type).U64(offset);
    }

    /// <summary>Pads with zeros to a multiple of <paramref name="alignment"/>.</summary>
    public GgufTestFiles Align(int alignment = 32)
    {
        while (_bytes.Length % alignment != 0)
        {
            _w.Write((byte)0);
        }

        return this;
    }

    public GgufTestFiles Zeros(int count) => Raw(new byte[count]);

    public byte[] ToArray()
    {
        _w.Flush();
        return _bytes.ToArray();
    }

    public GgufFile Read(GgufReadOptions? options = null) => GgufReader.Read(new MemoryStream(ToArray()), options);

    /// <summary>Asserts reading fails with a <see cref="GgufFormatException"/> whose message contains <paramref name="expected"/>.</summary>
    public GgufFormatException ReadFails(string expected)
    {
        var ex = Assert.Throws<GgufFormatException>(() => Read());
        Assert.Contains(expected, ex.Message, StringComparison.OrdinalIgnoreCase);
        return ex;
    }

    /// <summary>A valid file: two metadata keys and one F32 tensor of 8 elements (no trailing padding).</summary>
    public static byte[] SmallValidFile() =>
        Header(1, 2).KvString("general.architecture", "llama").KvU32("llama.block_count", 2)
            .TensorInfo("t", [8], GgmlType.F32, 0).Align().Zeros(32).ToArray();
}
