using System.Globalization;

namespace Corral.Models.Gguf;

/// <summary>
/// One typed metadata value. Scalars are stored unboxed; strings and arrays by reference.
/// Accessors throw <see cref="InvalidCastException"/> when the stored type differs, so a file that stores
/// a key with an unexpected type is noticed instead of silently converted.
/// </summary>
public sealed class GgufValue : IEquatable<GgufValue>
{
    private readonly ulong _bits;
    private readonly object? _reference;

    private GgufValue(GgufValueType type, ulong bits, object? reference)
    {
        Type = type;
        _bits = bits;
        _reference = reference;
    }

    public GgufValueType Type { get; }

    public static GgufValue FromUInt8(byte value) => new(GgufValueType.UInt8, value, null);
    public static GgufValue FromInt8(sbyte value) => new(GgufValueType.Int8, unchecked((ulong)value), null);
    public static GgufValue FromUInt16(ushort value) => new(GgufValueType.UInt16, value, null);
    public static GgufValue FromInt16(short value) => new(GgufValueType.Int16, unchecked((ulong)value), null);
    public static GgufValue FromUInt32(uint value) => new(GgufValueType.UInt32, value, null);
    public static GgufValue FromInt32(int value) => new(GgufValueType.Int32, unchecked((ulong)value), null);
    public static GgufValue FromUInt64(ulong value) => new(GgufValueType.UInt64, value, null);
    public static GgufValue FromInt64(long value) => new(GgufValueType.Int64, unchecked((ulong)value), null);
    public static GgufValue FromFloat32(float value) => new(GgufValueType.Float32, BitConverter.SingleToUInt32Bits(value), null);
    public static GgufValue FromFloat64(double value) => new(GgufValueType.Float64, BitConverter.DoubleToUInt64Bits(value), null);
    public static GgufValue FromBool(bool value) => new(GgufValueType.Bool, value ? 1UL : 0UL, null);

    public static GgufValue FromString(string value) =>
        new(GgufValueType.String, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static GgufValue FromArray(GgufArray value) =>
        new(GgufValueType.Array, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static GgufValue FromStrings(IEnumerable<string> values) => FromArray(GgufArray.FromStrings(values));

    public byte AsUInt8() => (byte)Expect(GgufValueType.UInt8);
    public sbyte AsInt8() => unchecked((sbyte)Expect(GgufValueType.Int8));
    public ushort AsUInt16() => (ushort)Expect(GgufValueType.UInt16);
    public short AsInt16() => unchecked((short)Expect(GgufValueType.Int16));
    public uint AsUInt32() => (uint)Expect(GgufValueType.UInt32);
    public int AsInt32() => unchecked((int)Expect(GgufValueType.Int32));
    public ulong AsUInt64() => Expect(GgufValueType.UInt64);
    public long AsInt64() => unchecked((long)Expect(GgufValueType.Int64));
    public float AsFloat32() => BitConverter.UInt32BitsToSingle((uint)Expect(GgufValueType.Float32));
    public double AsFloat64() => BitConverter.UInt64BitsToDouble(Expect(GgufValueType.Float64));
    public bool AsBool() => Expect(GgufValueType.Bool) != 0;

    public string AsString()
    {
        Expect(GgufValueType.String);
        return (string)_reference!;
    }

    public GgufArray AsArray()
    {
        Expect(GgufValueType.Array);
        return (GgufArray)_reference!;
    }

    /// <summary>True for the eight integer types (bool excluded).</summary>
    public bool IsInteger => Type is GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16 or GgufValueType.Int16
        or GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.UInt64 or GgufValueType.Int64;

    /// <summary>Any integer type whose value fits in a long (files disagree on u32 vs i32 for ids and counts).</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        if (!IsInteger)
        {
            return false;
        }

        if (Type == GgufValueType.UInt64)
        {
            if (_bits > long.MaxValue)
            {
                return false;
            }

            value = (long)_bits;
            return true;
        }

        value = unchecked((long)_bits);
        return true;
    }

    /// <summary>Float32, Float64 or any integer type as a double.</summary>
    public bool TryGetDouble(out double value)
    {
        switch (Type)
        {
            case GgufValueType.Float32: value = AsFloat32(); return true;
            case GgufValueType.Float64: value = AsFloat64(); return true;
            case GgufValueType.UInt64: value = _bits; return true;
            default:
                bool ok = TryGetInt64(out long l);
                value = l;
                return ok;
        }
    }

    public bool Equals(GgufValue? other) =>
        other is not null && Type == other.Type && _bits == other._bits && Equals(_reference, other._reference);

    public override bool Equals(object? obj) => Equals(obj as GgufValue);

    public override int GetHashCode() => HashCode.Combine(Type, _bits, _reference);

    public override string ToString() => Type switch
    {
        GgufValueType.UInt8 or GgufValueType.UInt16 or GgufValueType.UInt32 or GgufValueType.UInt64 => _bits.ToString(CultureInfo.InvariantCulture),
        GgufValueType.Int8 or GgufValueType.Int16 or GgufValueType.Int32 or GgufValueType.Int64 => unchecked((long)_bits).ToString(CultureInfo.InvariantCulture),
        GgufValueType.Float32 => AsFloat32().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Float64 => AsFloat64().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Bool => _bits != 0 ? "true" : "false",
        _ => _reference!.ToString()!,
    };

    private ulong Expect(GgufValueType type) =>
        Type == type ? _bits : throw new InvalidCastException($"GGUF value is {Type}, not {type}.");
}
