using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Corral.Models.Gguf;

/// <summary>
/// Writes a GGUF v3 file. Metadata and tensor shapes are collected first; tensor data is pulled from a
/// callback per tensor while writing, so a multi-gigabyte model never has to be in memory at once.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<PendingTensor> _tensors = [];
    private readonly HashSet<string> _tensorNames = new(StringComparer.Ordinal);

    public GgufWriter(uint alignment = GgufReader.DefaultAlignment)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "Alignment must be a power of two.");
        }

        Alignment = alignment;
    }

    public uint Alignment { get; }

    public GgufMetadata Metadata { get; } = new();

    public int TensorCount => _tensors.Count;

    /// <summary>Adds a metadata key; throws when the key was already added.</summary>
    public GgufWriter Add(string key, GgufValue value)
    {
        if (key == GgufKeys.Alignment)
        {
            throw new ArgumentException($"Set the alignment through the constructor; the writer emits {GgufKeys.Alignment} itself.", nameof(key));
        }

        return Metadata.TryAdd(key, value) ? this : throw new ArgumentException($"Duplicate metadata key '{key}'.", nameof(key));
    }

    public GgufWriter AddString(string key, string value) => Add(key, GgufValue.FromString(value));
    public GgufWriter AddUInt32(string key, uint value) => Add(key, GgufValue.FromUInt32(value));
    public GgufWriter AddInt32(string key, int value) => Add(key, GgufValue.FromInt32(value));
    public GgufWriter AddUInt64(string key, ulong value) => Add(key, GgufValue.FromUInt64(value));
    public GgufWriter AddFloat32(string key, float value) => Add(key, GgufValue.FromFloat32(value));
    public GgufWriter AddBool(string key, bool value) => Add(key, GgufValue.FromBool(value));
    public GgufWriter AddStrings(string key, IEnumerable<string> values) => Add(key, GgufValue.FromStrings(values));
    public GgufWriter AddArray(string key, GgufArray values) => Add(key, GgufValue.FromArray(values));

    /// <summary>
    /// Adds a tensor whose data <paramref name="writeData"/> writes, when the file is written, into the stream
    /// it is given: exactly the tensor's byte size (see <see cref="GgmlTypeInfo.GetByteSize"/>), no more, no less.
    /// Dimensions are in GGUF order (innermost first).
    /// </summary>
    public GgufWriter AddTensor(string name, IReadOnlyList<long> dimensions, GgmlType type, Action<Stream> writeData)
    {
        ArgumentNullException.ThrowIfNull(writeData);
        if (Encoding.UTF8.GetByteCount(name) > 63)
        {
            throw new ArgumentException($"Tensor name '{name}' is longer than 63 bytes.", nameof(name));
        }

        if (!_tensorNames.Add(name))
        {
            throw new ArgumentException($"Duplicate tensor name '{name}'.", nameof(name));
        }

        ulong offset = 0;
        if (_tensors.Count > 0)
        {
            GgufTensorInfo last = _tensors[^1].Info;
            offset = (ulong)GgufReader.AlignUp((long)last.Offset + last.ByteSize, Alignment);
        }

        _tensors.Add(new PendingTensor(new GgufTensorInfo(name, dimensions, type, offset), writeData));
        return this;
    }

    /// <summary>Adds a tensor whose data is already in memory (small tensors, tests).</summary>
    public GgufWriter AddTensor(string name, IReadOnlyList<long> dimensions, GgmlType type, ReadOnlyMemory<byte> data) =>
        AddTensor(name, dimensions, type, s => s.Write(data.Span));

    /// <summary>Writes to a temporary file next to <paramref name="path"/> and renames it into place.</summary>
    public void WriteTo(string path)
    {
        string temp = path + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                WriteTo(file);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var output = new BufferedStream(destination, 1 << 20);
        var header = new HeaderWriter(output);

        header.UInt32(0x46554747); // "GGUF"
        header.UInt32(3);
        header.UInt64((ulong)_tensors.Count);
        // general.alignment always comes from the constructor, even if someone put one in Metadata directly.
        bool writeAlignment = Alignment != GgufReader.DefaultAlignment;
        int userKeys = Metadata.Count - (Metadata.ContainsKey(GgufKeys.Alignment) ? 1 : 0);
        header.UInt64((ulong)(userKeys + (writeAlignment ? 1 : 0)));
        if (writeAlignment)
        {
            header.String(GgufKeys.Alignment);
            header.UInt32((uint)GgufValueType.UInt32);
            header.UInt32(Alignment);
        }

        foreach (var (key, value) in Metadata)
        {
            if (key == GgufKeys.Alignment)
            {
                continue;
            }

            header.String(key);
            header.UInt32((uint)value.Type);
            WriteValue(header, value);
        }

        foreach (PendingTensor t in _tensors)
        {
            header.String(t.Info.Name);
            header.UInt32((uint)t.Info.Dimensions.Count);
            foreach (long d in t.Info.Dimensions)
            {
                header.UInt64((ulong)d);
            }

            header.UInt32((uint)t.Info.Type);
            header.UInt64(t.Info.Offset);
        }

        if (_tensors.Count > 0)
        {
            header.Pad(Alignment);
        }

        long dataStart = header.Written;
        foreach (PendingTensor t in _tensors)
        {
            header.Pad(Alignment);
            if (header.Written - dataStart != (long)t.Info.Offset)
            {
                throw new InvalidOperationException($"Internal error: tensor '{t.Info.Name}' would land at {header.Written - dataStart}, not {t.Info.Offset}.");
            }

            var data = new TensorDataStream(output, t.Info.Name, t.Info.ByteSize);
            t.WriteData(data);
            data.EnsureComplete();
            header.Advance(t.Info.ByteSize);
        }

        if (_tensors.Count > 0)
        {
            header.Pad(Alignment);
        }

        output.Flush();
    }

    private static void WriteValue(HeaderWriter w, GgufValue value)
    {
        switch (value.Type)
        {
            case GgufValueType.UInt8: w.Byte(value.AsUInt8()); break;
            case GgufValueType.Int8: w.Byte(unchecked((byte)value.AsInt8())); break;
            case GgufValueType.UInt16: w.UInt16(value.AsUInt16()); break;
            case GgufValueType.Int16: w.UInt16(unchecked((ushort)value.AsInt16())); break;
            case GgufValueType.UInt32: w.UInt32(value.AsUInt32()); break;
            case GgufValueType.Int32: w.UInt32(unchecked((uint)value.AsInt32())); break;
            case GgufValueType.UInt64: w.UInt64(value.AsUInt64()); break;
            case GgufValueType.Int64: w.UInt64(unchecked((ulong)value.AsInt64())); break;
            case GgufValueType.Float32: w.UInt32(BitConverter.SingleToUInt32Bits(value.AsFloat32())); break;
            case GgufValueType.Float64: w.UInt64(BitConverter.DoubleToUInt64Bits(value.AsFloat64())); break;
            case GgufValueType.Bool: w.Byte(value.AsBool() ? (byte)1 : (byte)0); break;
            case GgufValueType.String: w.String(value.AsString()); break;
            default: WriteArray(w, value.AsArray()); break;
        }
    }

    private static void WriteArray(HeaderWriter w, GgufArray array)
    {
        Array items = array.RawItems ?? throw new InvalidOperationException("Cannot write an array that was read without its elements (GgufReadOptions).");
        w.UInt32((uint)array.ElementType);
        w.UInt64((ulong)array.Count);
        switch (array.ElementType)
        {
            case GgufValueType.String:
                // Raw strings (one char per byte) go back out as the bytes they were read from.
                Encoding encoding = array.HoldsRawBytes ? Encoding.Latin1 : Encoding.UTF8;
                foreach (string s in (string[])items)
                {
                    w.String(s, encoding);
                }

                break;
            case GgufValueType.Array:
                foreach (GgufArray nested in (GgufArray[])items)
                {
                    WriteArray(w, nested);
                }

                break;
            case GgufValueType.Bool:
                foreach (bool b in (bool[])items)
                {
                    w.Byte(b ? (byte)1 : (byte)0);
                }

                break;
            default:
                w.Bytes(MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(items), Buffer.ByteLength(items)));
                break;
        }
    }

    private sealed record PendingTensor(GgufTensorInfo Info, Action<Stream> WriteData);

    /// <summary>Little-endian primitives plus a running byte count (for padding).</summary>
    private sealed class HeaderWriter(Stream output)
    {
        private readonly byte[] _scratch = new byte[8];

        public long Written { get; private set; }

        public void Byte(byte value)
        {
            output.WriteByte(value);
            Written++;
        }

        public void UInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_scratch, value);
            Bytes(_scratch.AsSpan(0, 2));
        }

        public void UInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_scratch, value);
            Bytes(_scratch.AsSpan(0, 4));
        }

        public void UInt64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_scratch, value);
            Bytes(_scratch.AsSpan(0, 8));
        }

        public void String(string value) => String(value, Encoding.UTF8);

        public void String(string value, Encoding encoding)
        {
            byte[] bytes = encoding.GetBytes(value);
            UInt64((ulong)bytes.Length);
            Bytes(bytes);
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            output.Write(bytes);
            Written += bytes.Length;
        }

        public void Pad(uint alignment)
        {
            long padded = GgufReader.AlignUp(Written, alignment);
            Span<byte> zeros = stackalloc byte[64];
            zeros.Clear();
            while (Written < padded)
            {
                Bytes(zeros[..(int)Math.Min(zeros.Length, padded - Written)]);
            }
        }

        public void Advance(long count) => Written += count;
    }
}
