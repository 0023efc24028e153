using System.Buffers.Binary;
using Corral.Models.Gguf;

namespace Corral.TestModels;

/// <summary>Streams tensor values to a GGUF writer in chunks, converting to F32 or F16.</summary>
internal static class TensorData
{
    private const int ChunkElements = 1 << 16;

    /// <summary>Writes <paramref name="count"/> values computed by <paramref name="valueAt"/>(element index).</summary>
    public static void Write(Stream output, GgmlType type, long count, Func<long, float> valueAt)
    {
        int elementBytes = type switch
        {
            GgmlType.F32 => 4,
            GgmlType.F16 => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Only F32 and F16 are generated."),
        };
        byte[] chunk = new byte[ChunkElements * elementBytes];
        for (long start = 0; start < count; start += ChunkElements)
        {
            int n = (int)Math.Min(ChunkElements, count - start);
            for (int i = 0; i < n; i++)
            {
                float v = valueAt(start + i);
                if (type == GgmlType.F32)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(i * 4), v);
                }
                else
                {
                    BinaryPrimitives.WriteHalfLittleEndian(chunk.AsSpan(i * 2), (Half)v);
                }
            }

            output.Write(chunk, 0, n * elementBytes);
        }
    }

    public static void Constant(Stream output, GgmlType type, long count, float value) => Write(output, type, count, _ => value);

    /// <summary>Uniform random values in [-scale, scale), deterministic for the seed.</summary>
    public static void Random(Stream output, GgmlType type, long count, ulong seed, float scale)
    {
        var rng = new SplitMix64(seed);
        Write(output, type, count, _ => rng.NextSigned() * scale);
    }

    /// <summary>
    /// Fast random F16 for the multi-gigabyte bench model: builds half-precision bit patterns directly
    /// (random sign and mantissa, magnitude between 2^-7 and 2^-5), four per PRNG step, no float math.
    /// </summary>
    public static void FastRandomF16(Stream output, long count, ulong seed)
    {
        var rng = new SplitMix64(seed);
        byte[] chunk = new byte[1 << 20];
        long remaining = count * 2;
        while (remaining > 0)
        {
            int n = (int)Math.Min(chunk.Length, remaining);
            for (int i = 0; i < n; i += 8)
            {
                ulong r = rng.Next();
                for (int k = 0; k < 4; k++)
                {
                    uint bits = (uint)(r >> (16 * k)) & 0xFFFF;
                    uint half = (bits & 0x8000) | ((8u + ((bits >> 10) & 1)) << 10) | (bits & 0x3FF);
                    BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(i + 2 * k), (ushort)half);
                }
            }

            output.Write(chunk, 0, n);
            remaining -= n;
        }
    }
}
