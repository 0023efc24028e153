using System.Runtime.InteropServices;

namespace Corral.Models.Gguf;

/// <summary>
/// Reads and validates a GGUF header (metadata + tensor directory). No size read from the file is trusted:
/// every count and length is checked against the bytes that remain before anything is allocated, and every
/// problem becomes a <see cref="GgufFormatException"/>.
/// </summary>
public static class GgufReader
{
    public const uint DefaultAlignment = 32;

    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const int MaxNestingDepth = 8;
    private const int MaxTensorNameBytes = 63; // ggml's GGML_MAX_NAME (64) includes the terminator

    // Smallest possible encodings, used to reject counts that cannot fit in the rest of the file.
    private const int MinKeyValueBytes = 8 + 4 + 1;
    private const int MinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;
    private const int MinStringBytes = 8;
    private const int MinArrayBytes = 4 + 8;

    public static GgufFile Read(string path, GgufReadOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        return Read(stream, options);
    }

    /// <summary>Reads from the stream's current position, which is taken as the start of the GGUF file.</summary>
    public static GgufFile Read(Stream stream, GgufReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= GgufReadOptions.Default;
        var r = new GgufByteReader(stream);

        if (r.Length < 4 || r.ReadUInt32("magic") != Magic)
        {
            throw new GgufFormatException("bad magic: the file does not start with \"GGUF\"", 0);
        }

        uint version = r.ReadUInt32("version");
        if (version is not (2 or 3))
        {
            string why = version == 1
                ? "GGUF version 1 is not supported (only versions 2 and 3)"
                : (version & 0xFFFF) == 0 && version != 0
                    ? $"unsupported GGUF version 0x{version:X8} (a big-endian file?); only little-endian versions 2 and 3 are supported"
                    : $"unsupported GGUF version {version} (only versions 2 and 3)";
            throw new GgufFormatException(why, 4);
        }

        long countsAt = r.Position;
        ulong tensorCount = r.ReadUInt64("tensor count");
        ulong kvCount = r.ReadUInt64("metadata count");
        if (tensorCount > (ulong)(r.Remaining / MinTensorInfoBytes))
        {
            throw new GgufFormatException($"tensor count {tensorCount} is larger than the file could hold", countsAt);
        }

        if (kvCount > (ulong)(r.Remaining / MinKeyValueBytes))
        {
            throw new GgufFormatException($"metadata count {kvCount} is larger than the file could hold", countsAt + 8);
        }

        var metadata = new GgufMetadata();
        for (ulong i = 0; i < kvCount; i++)
        {
            long at = r.Position;
            string key = r.ReadString($"metadata key #{i}", strictUtf8: true);
            long typeAt = r.Position;
            GgufValueType type = ReadValueType(r, $"metadata '{key}'", typeAt);
            GgufValue value = ReadValue(r, type, key, options, depth: 0);
            if (!metadata.TryAdd(key, value))
            {
                throw new GgufFormatException($"duplicate metadata key '{key}'", at);
            }
        }

        uint alignment = ReadAlignment(metadata);

        var tensors = new List<GgufTensorInfo>((int)Math.Min(tensorCount, 4096));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; i < tensorCount; i++)
        {
            long at = r.Position;
            GgufTensorInfo info = ReadTensorInfo(r, i);
            if (!names.Add(info.Name))
            {
                throw new GgufFormatException($"duplicate tensor name '{info.Name}'", at);
            }

            tensors.Add(info);
        }

        long endOfHeader = r.Position;
        long dataOffset = AlignUp(endOfHeader, alignment);
        if (dataOffset > r.Length)
        {
            if (tensors.Count > 0)
            {
                throw new GgufFormatException($"file is truncated: the data section would start at {dataOffset} but the file has {r.Length} bytes", endOfHeader);
            }

            dataOffset = endOfHeader; // a metadata-only file may omit the final padding
        }

        CheckTensorPlacement(tensors, alignment, dataOffset, r.Length);
        return new GgufFile(version, metadata, tensors, alignment, dataOffset, r.Length);
    }

    private static GgufValueType ReadValueType(GgufByteReader r, string what, long at)
    {
        uint raw = r.ReadUInt32(what + " type");
        return raw <= (uint)GgufValueType.Float64
            ? (GgufValueType)raw
            : throw new GgufFormatException($"{what} has unknown value type {raw}", at);
    }

    private static GgufValue ReadValue(GgufByteReader r, GgufValueType type, string key, GgufReadOptions options, int depth)
    {
        string what = $"value of '{key}'";
        return type switch
        {
            GgufValueType.UInt8 => GgufValue.FromUInt8(r.ReadUInt8(what)),
            GgufValueType.Int8 => GgufValue.FromInt8(unchecked((sbyte)r.ReadUInt8(what))),
            GgufValueType.UInt16 => GgufValue.FromUInt16(r.ReadUInt16(what)),
            GgufValueType.Int16 => GgufValue.FromInt16(unchecked((short)r.ReadUInt16(what))),
            GgufValueType.UInt32 => GgufValue.FromUInt32(r.ReadUInt32(what)),
            GgufValueType.Int32 => GgufValue.FromInt32(unchecked((int)r.ReadUInt32(what))),
            GgufValueType.UInt64 => GgufValue.FromUInt64(r.ReadUInt64(what)),
            GgufValueType.Int64 => GgufValue.FromInt64(unchecked((long)r.ReadUInt64(what))),
            GgufValueType.Float32 => GgufValue.FromFloat32(BitConverter.UInt32BitsToSingle(r.ReadUInt32(what))),
            GgufValueType.Float64 => GgufValue.FromFloat64(BitConverter.UInt64BitsToDouble(r.ReadUInt64(what))),
            GgufValueType.Bool => GgufValue.FromBool(r.ReadUInt8(what) != 0),
            GgufValueType.String => GgufValue.FromString(r.ReadString(what, strictUtf8: false)),
            _ => GgufValue.FromArray(ReadArray(r, key, options, depth)),
        };
    }

    private static GgufArray ReadArray(GgufByteReader r, string key, GgufReadOptions options, int depth)
    {
        long at = r.Position;
        if (depth >= MaxNestingDepth)
        {
            throw new GgufFormatException($"arrays in '{key}' are nested more than {MaxNestingDepth} deep", at);
        }

        GgufValueType elementType = ReadValueType(r, $"array '{key}' element", at);
        ulong count = r.ReadUInt64($"array '{key}' length");
        int minElementBytes = MinElementBytes(elementType);
        if (count > (ulong)(r.Remaining / minElementBytes))
        {
            throw new GgufFormatException($"array '{key}' claims {count} {elementType} elements, more than the {r.Remaining} remaining bytes can hold", at);
        }

        // count now fits comfortably in an int-sized array: remaining bytes / element size, and files are < 2^63.
        bool wanted = depth == 0 && options.AlwaysMaterialize?.Contains(key) == true;
        if ((count > (ulong)options.MaxArrayElementsToMaterialize && !wanted) || count > int.MaxValue)
        {
            SkipArrayElements(r, elementType, (long)count, key, depth);
            return GgufArray.NotMaterialized(elementType, (long)count);
        }

        int n = (int)count;
        switch (elementType)
        {
            case GgufValueType.String:
                {
                    var items = new string[n];
                    string what = $"an element of '{key}'"; // built once: vocabularies have 100k+ strings
                    bool raw = depth == 0 && options.RawStringArrays?.Contains(key) == true;
                    for (int i = 0; i < n; i++)
                    {
                        items[i] = raw ? r.ReadRawString(what) : r.ReadString(what, strictUtf8: false);
                    }

                    return raw ? GgufArray.CreateRaw(items) : GgufArray.Create(elementType, items);
                }

            case GgufValueType.Array:
                {
                    var items = new GgufArray[n];
                    for (int i = 0; i < n; i++)
                    {
                        items[i] = ReadArray(r, $"{key}[{i}]", options, depth + 1);
                    }

                    return GgufArray.Create(elementType, items);
                }

            case GgufValueType.Bool:
                {
                    // Read as bytes: a bool[] must only ever hold 0 or 1.
                    var bytes = new byte[n];
                    r.ReadExactly(bytes, $"array '{key}'");
                    return GgufArray.Create(elementType, Array.ConvertAll(bytes, b => b != 0));
                }

            default:
                {
                    var items = Array.CreateInstance(GgufArray.ClrElementType(elementType)!, n);
                    var bytes = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(items), Buffer.ByteLength(items));
                    r.ReadExactly(bytes, $"array '{key}'"); // GGUF is little-endian, like every platform .NET runs Corral on
                    return GgufArray.Create(elementType, items);
                }
        }
    }

    private static void SkipArrayElements(GgufByteReader r, GgufValueType elementType, long count, string key, int depth)
    {
        switch (elementType)
        {
            case GgufValueType.String:
                string what = $"an element of '{key}'";
                for (long i = 0; i < count; i++)
                {
                    r.SkipString(what);
                }

                break;
            case GgufValueType.Array:
                for (long i = 0; i < count; i++)
                {
                    ReadArray(r, $"{key}[{i}]", GgufReadOptions.MetadataOnly, depth + 1);
                }

                break;
            default:
                r.Skip(count * MinElementBytes(elementType));
                break;
        }
    }

    private static int MinElementBytes(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        GgufValueType.String => MinStringBytes,
        _ => MinArrayBytes,
    };

    private static uint ReadAlignment(GgufMetadata metadata)
    {
        if (!metadata.TryGetValue(GgufKeys.Alignment, out GgufValue? value))
        {
            return DefaultAlignment;
        }

        if (value.Type != GgufValueType.UInt32)
        {
            throw new GgufFormatException($"{GgufKeys.Alignment} must be a UInt32, not {value.Type}");
        }

        uint alignment = value.AsUInt32();
        return alignment != 0 && (alignment & (alignment - 1)) == 0
            ? alignment
            : throw new GgufFormatException($"{GgufKeys.Alignment} is {alignment}, which is not a power of two");
    }

    private static GgufTensorInfo ReadTensorInfo(GgufByteReader r, ulong index)
    {
        long at = r.Position;
        string name = r.ReadString($"tensor #{index} name", strictUtf8: true);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxTensorNameBytes)
        {
            throw new GgufFormatException($"tensor name '{name}' is longer than {MaxTensorNameBytes} bytes", at);
        }

        long dimsAt = r.Position;
        uint nDims = r.ReadUInt32($"tensor '{name}' dimension count");
        if (nDims is < 1 or > GgufTensorInfo.MaxDimensions)
        {
            throw new GgufFormatException($"tensor '{name}' has {nDims} dimensions (must be 1 to {GgufTensorInfo.MaxDimensions})", dimsAt);
        }

        var dims = new long[nDims];
        Int128 elements = 1;
        for (int d = 0; d < nDims; d++)
        {
            ulong dim = r.ReadUInt64($"tensor '{name}' dimension");
            if (dim == 0 || dim > long.MaxValue)
            {
                throw new GgufFormatException($"tensor '{name}' has invalid dimension {d} of size {(long)dim}", dimsAt);
            }

            dims[d] = (long)dim;
            elements *= (long)dim;
            if (elements > long.MaxValue)
            {
                throw new GgufFormatException($"tensor '{name}' has dimensions [{string.Join(", ", dims.Take(d + 1))}] whose element count overflows", dimsAt);
            }
        }

        long typeAt = r.Position;
        uint rawType = r.ReadUInt32($"tensor '{name}' type");
        var type = (GgmlType)rawType;
        if (!GgmlTypeInfo.IsKnown(type))
        {
            throw new GgufFormatException($"tensor '{name}' has unknown ggml type {rawType}", typeAt);
        }

        int block = GgmlTypeInfo.BlockSize(type);
        if (dims[0] % block != 0)
        {
            throw new GgufFormatException($"tensor '{name}' row length {dims[0]} is not a multiple of the {type} block size {block}", dimsAt);
        }

        if (GgmlTypeInfo.TryGetByteSize(type, (long)elements) < 0)
        {
            throw new GgufFormatException($"tensor '{name}' byte size overflows", dimsAt);
        }

        ulong offset = r.ReadUInt64($"tensor '{name}' offset");
        return new GgufTensorInfo(name, dims, type, offset);
    }

    private static void CheckTensorPlacement(List<GgufTensorInfo> tensors, uint alignment, long dataOffset, long fileLength)
    {
        ulong available = (ulong)(fileLength - dataOffset);
        foreach (GgufTensorInfo t in tensors)
        {
            if (t.Offset % alignment != 0)
            {
                throw new GgufFormatException($"tensor '{t.Name}' offset {t.Offset} is not a multiple of the alignment {alignment}");
            }

            if (t.Offset > available || (ulong)t.ByteSize > available - t.Offset)
            {
                throw new GgufFormatException(
                    $"tensor '{t.Name}' data ({t.ByteSize} bytes at data offset {t.Offset}) extends past the end of the file ({available} data bytes)");
            }
        }

        GgufTensorInfo? previous = null;
        foreach (GgufTensorInfo t in tensors.OrderBy(t => t.Offset))
        {
            if (previous is not null && t.Offset < previous.Offset + (ulong)previous.ByteSize)
            {
                throw new GgufFormatException($"tensors '{previous.Name}' and '{t.Name}' overlap in the data section");
            }

            previous = t;
        }
    }

    internal static long AlignUp(long value, uint alignment) => (value + alignment - 1) / alignment * alignment;
}
