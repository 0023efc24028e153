namespace Corral.Models.Gguf;

/// <summary>
/// Block layout of each <see cref="GgmlType"/>: how many elements one block holds and how many bytes it takes.
/// Values match ggml's type traits of the pinned llama.cpp (gguf-py GGML_QUANT_SIZES).
/// </summary>
public static class GgmlTypeInfo
{
    private const int QK_K = 256;

    // Indexed by the numeric type id; (0, 0) marks ids that ggml removed or never used.
    private static readonly (int BlockSize, int TypeSize)[] Sizes = BuildTable();

    /// <summary>True when <paramref name="type"/> is a type this version of ggml can load.</summary>
    public static bool IsKnown(GgmlType type) => (uint)type < (uint)Sizes.Length && Sizes[(int)type].BlockSize != 0;

    /// <summary>
    /// True when the pinned llama.cpp can compute with a stored tensor of <paramref name="type"/>. Q8_1 and Q8_K are
    /// only the intermediate formats ggml quantizes activations to, and the integer and F64 types have no matrix
    /// product or row lookup on the CPU: a model weight of any of them loads, then the first decode segfaults or
    /// aborts (checked one type at a time against llama.cpp, see docs/architecture.md).
    /// </summary>
    public static bool IsUsableAsWeight(GgmlType type) => IsKnown(type) && type is not (
        GgmlType.Q8_1 or GgmlType.Q8_K or GgmlType.I8 or GgmlType.I16 or GgmlType.I32 or GgmlType.I64 or GgmlType.F64);

    /// <summary>Elements per block (1 for plain types, 32 or 256 for most quantized ones).</summary>
    public static int BlockSize(GgmlType type) => Get(type).BlockSize;

    /// <summary>Bytes per block.</summary>
    public static int TypeSize(GgmlType type) => Get(type).TypeSize;

    /// <summary>
    /// Bytes needed to store <paramref name="elementCount"/> elements, or -1 when the count is not a
    /// whole number of blocks or the size overflows a 64-bit integer.
    /// </summary>
    public static long TryGetByteSize(GgmlType type, long elementCount)
    {
        var (block, size) = Get(type);
        if (elementCount < 0 || elementCount % block != 0)
        {
            return -1;
        }

        long blocks = elementCount / block;
        return blocks > long.MaxValue / size ? -1 : blocks * size;
    }

    /// <summary>Bytes needed to store <paramref name="elementCount"/> elements; throws when not a whole number of blocks.</summary>
    public static long GetByteSize(GgmlType type, long elementCount)
    {
        long bytes = TryGetByteSize(type, elementCount);
        return bytes >= 0
            ? bytes
            : throw new ArgumentException($"{elementCount} elements is not a whole number of {type} blocks of {BlockSize(type)}.", nameof(elementCount));
    }

    private static (int BlockSize, int TypeSize) Get(GgmlType type) =>
        IsKnown(type) ? Sizes[(int)type] : throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ggml type.");

    private static (int, int)[] BuildTable()
    {
        var t = new (int, int)[43];
        t[(int)GgmlType.F32] = (1, 4);
        t[(int)GgmlType.F16] = (1, 2);
        t[(int)GgmlType.Q4_0] = (32, 2 + 16);
        t[(int)GgmlType.Q4_1] = (32, 2 + 2 + 16);
        t[(int)GgmlType.Q5_0] = (32, 2 + 4 + 16);
        t[(int)GgmlType.Q5_1] = (32, 2 + 2 + 4 + 16);
        t[(int)GgmlType.Q8_0] = (32, 2 + 32);
        t[(int)GgmlType.Q8_1] = (32, 2 + 2 + 32);
        t[(int)GgmlType.Q2_K] = (QK_K, 2 + 2 + QK_K / 16 + QK_K / 4);
        t[(int)GgmlType.Q3_K] = (QK_K, 2 + QK_K / 4 + QK_K / 8 + 12);
        t[(int)GgmlType.Q4_K] = (QK_K, 2 + 2 + QK_K / 2 + 12);
        t[(int)GgmlType.Q5_K] = (QK_K, 2 + 2 + QK_K / 2 + QK_K / 8 + 12);
        t[(int)GgmlType.Q6_K] = (QK_K, 2 + QK_K / 2 + QK_K / 4 + QK_K / 16);
        t[(int)GgmlType.Q8_K] = (QK_K, 4 + QK_K + QK_K / 8);
        t[(int)GgmlType.IQ2_XXS] = (QK_K, 2 + QK_K / 4);
        t[(int)GgmlType.IQ2_XS] = (QK_K, 2 + QK_K / 4 + QK_K / 32);
        t[(int)GgmlType.IQ3_XXS] = (QK_K, 2 + QK_K / 4 + QK_K / 8);
        t[(int)GgmlType.IQ1_S] = (QK_K, 2 + QK_K / 8 + QK_K / 16);
        t[(int)GgmlType.IQ4_NL] = (32, 2 + 16);
        t[(int)GgmlType.IQ3_S] = (QK_K, 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4);
        t[(int)GgmlType.IQ2_S] = (QK_K, 2 + QK_K / 4 + QK_K / 16);
        t[(int)GgmlType.IQ4_XS] = (QK_K, 2 + 2 + QK_K / 2 + QK_K / 64);
        t[(int)GgmlType.I8] = (1, 1);
        t[(int)GgmlType.I16] = (1, 2);
        t[(int)GgmlType.I32] = (1, 4);
        t[(int)GgmlType.I64] = (1, 8);
        t[(int)GgmlType.F64] = (1, 8);
        t[(int)GgmlType.IQ1_M] = (QK_K, QK_K / 8 + QK_K / 16 + QK_K / 32);
        t[(int)GgmlType.BF16] = (1, 2);
        t[(int)GgmlType.TQ1_0] = (QK_K, 2 + 4 * 13);
        t[(int)GgmlType.TQ2_0] = (QK_K, 2 + 64);
        t[(int)GgmlType.MXFP4] = (32, 1 + 16);
        t[(int)GgmlType.NVFP4] = (64, 4 + 32);
        t[(int)GgmlType.Q1_0] = (128, 2 + 16);
        t[(int)GgmlType.Q2_0] = (64, 2 + 16);
        return t;
    }
}
