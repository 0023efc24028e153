using System.Runtime.InteropServices;
using System.Text;

namespace Corral.Models.Gguf;

/// <summary>
/// A metadata array. Elements are kept as one typed .NET array (byte[], int[], float[], string[], GgufArray[] ...)
/// so a 128k-token vocabulary costs one array, not 128k boxed values. When the reader was told not to
/// materialize big arrays, only <see cref="ElementType"/> and <see cref="Count"/> are known.
/// </summary>
public sealed class GgufArray : IEquatable<GgufArray>
{
    private readonly Array? _items;

    private GgufArray(GgufValueType elementType, long count, Array? items)
    {
        ElementType = elementType;
        Count = count;
        _items = items;
    }

    public GgufValueType ElementType { get; }

    public long Count { get; }

    /// <summary>True for strings read as Latin-1 (one char per byte, see <see cref="GgufReadOptions.RawStringArrays"/>).</summary>
    public bool HoldsRawBytes { get; private init; }

    /// <summary>False when the reader skipped the elements (see <see cref="GgufReadOptions.MaxArrayElementsToMaterialize"/>).</summary>
    public bool IsMaterialized => _items is not null;

    public static GgufArray FromUInt8(byte[] values) => new(GgufValueType.UInt8, values.Length, values);
    public static GgufArray FromInt8(sbyte[] values) => new(GgufValueType.Int8, values.Length, values);
    public static GgufArray FromUInt16(ushort[] values) => new(GgufValueType.UInt16, values.Length, values);
    public static GgufArray FromInt16(short[] values) => new(GgufValueType.Int16, values.Length, values);
    public static GgufArray FromUInt32(uint[] values) => new(GgufValueType.UInt32, values.Length, values);
    public static GgufArray FromInt32(int[] values) => new(GgufValueType.Int32, values.Length, values);
    public static GgufArray FromUInt64(ulong[] values) => new(GgufValueType.UInt64, values.Length, values);
    public static GgufArray FromInt64(long[] values) => new(GgufValueType.Int64, values.Length, values);
    public static GgufArray FromFloat32(float[] values) => new(GgufValueType.Float32, values.Length, values);
    public static GgufArray FromFloat64(double[] values) => new(GgufValueType.Float64, values.Length, values);
    public static GgufArray FromBool(bool[] values) => new(GgufValueType.Bool, values.Length, values);
    public static GgufArray FromStrings(IEnumerable<string> values)
    {
        string[] items = values.ToArray();
        return new(GgufValueType.String, items.Length, items);
    }

    public static GgufArray FromArrays(IEnumerable<GgufArray> values)
    {
        GgufArray[] items = values.ToArray();
        return new(GgufValueType.Array, items.Length, items);
    }

    internal static GgufArray Create(GgufValueType elementType, Array items) => new(elementType, items.Length, items);

    /// <summary>A string array read with <see cref="GgufReadOptions.RawStringArrays"/>: each char is one byte of the file.</summary>
    internal static GgufArray CreateRaw(string[] items) => new(GgufValueType.String, items.Length, items) { HoldsRawBytes = true };

    internal static GgufArray NotMaterialized(GgufValueType elementType, long count) => new(elementType, count, null);

    /// <summary>The elements of a numeric or bool array, e.g. <c>AsSpan&lt;int&gt;()</c> for Int32.</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged
    {
        Type expected = ClrElementType(ElementType) ?? throw new InvalidCastException($"GGUF array of {ElementType} has no span view.");
        if (typeof(T) != expected)
        {
            throw new InvalidCastException($"GGUF array holds {ElementType}, not {typeof(T).Name}.");
        }

        return (T[])Materialized();
    }

    public IReadOnlyList<string> AsStrings() => ElementType == GgufValueType.String
        ? (string[])Materialized()
        : throw new InvalidCastException($"GGUF array holds {ElementType}, not String.");

    public IReadOnlyList<GgufArray> AsArrays() => ElementType == GgufValueType.Array
        ? (GgufArray[])Materialized()
        : throw new InvalidCastException($"GGUF array holds {ElementType}, not Array.");

    /// <summary>One element as a <see cref="GgufValue"/> (allocates; for generic display code, not hot loops).</summary>
    public GgufValue GetElement(int index)
    {
        Array items = Materialized();
        return ElementType switch
        {
            GgufValueType.UInt8 => GgufValue.FromUInt8(((byte[])items)[index]),
            GgufValueType.Int8 => GgufValue.FromInt8(((sbyte[])items)[index]),
            GgufValueType.UInt16 => GgufValue.FromUInt16(((ushort[])items)[index]),
            GgufValueType.Int16 => GgufValue.FromInt16(((short[])items)[index]),
            GgufValueType.UInt32 => GgufValue.FromUInt32(((uint[])items)[index]),
            GgufValueType.Int32 => GgufValue.FromInt32(((int[])items)[index]),
            GgufValueType.UInt64 => GgufValue.FromUInt64(((ulong[])items)[index]),
            GgufValueType.Int64 => GgufValue.FromInt64(((long[])items)[index]),
            GgufValueType.Float32 => GgufValue.FromFloat32(((float[])items)[index]),
            GgufValueType.Float64 => GgufValue.FromFloat64(((double[])items)[index]),
            GgufValueType.Bool => GgufValue.FromBool(((bool[])items)[index]),
            GgufValueType.String => GgufValue.FromString(((string[])items)[index]),
            _ => GgufValue.FromArray(((GgufArray[])items)[index]),
        };
    }

    internal Array? RawItems => _items;

    /// <summary>The .NET element type backing an array of <paramref name="type"/>, null for strings and arrays.</summary>
    internal static Type? ClrElementType(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => typeof(byte),
        GgufValueType.Int8 => typeof(sbyte),
        GgufValueType.UInt16 => typeof(ushort),
        GgufValueType.Int16 => typeof(short),
        GgufValueType.UInt32 => typeof(uint),
        GgufValueType.Int32 => typeof(int),
        GgufValueType.UInt64 => typeof(ulong),
        GgufValueType.Int64 => typeof(long),
        GgufValueType.Float32 => typeof(float),
        GgufValueType.Float64 => typeof(double),
        GgufValueType.Bool => typeof(bool),
        _ => null,
    };

    public bool Equals(GgufArray? other)
    {
        if (other is null || ElementType != other.ElementType || Count != other.Count || IsMaterialized != other.IsMaterialized
            || HoldsRawBytes != other.HoldsRawBytes)
        {
            return false;
        }

        if (_items is null)
        {
            return true;
        }

        return ElementType switch
        {
            GgufValueType.String => ((string[])_items).AsSpan().SequenceEqual((string[])other._items!),
            GgufValueType.Array => ((GgufArray[])_items).AsSpan().SequenceEqual((GgufArray[])other._items!),
            _ => RawBytes(_items).SequenceEqual(RawBytes(other._items!)),
        };
    }

    public override bool Equals(object? obj) => Equals(obj as GgufArray);

    public override int GetHashCode() => HashCode.Combine(ElementType, Count);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append('[').Append(ElementType).Append(" x ").Append(Count).Append(']');
        return text.ToString();
    }

    private Array Materialized() =>
        _items ?? throw new InvalidOperationException($"GGUF array of {Count} {ElementType} values was not materialized (see GgufReadOptions).");

    // Primitive arrays only: compares the in-memory bytes, which is exact equality for integers and bitwise for floats.
    private static ReadOnlySpan<byte> RawBytes(Array items) =>
        MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(items), Buffer.ByteLength(items));
}
