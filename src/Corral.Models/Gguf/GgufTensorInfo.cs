namespace Corral.Models.Gguf;

/// <summary>
/// One tensor's header entry. <see cref="Dimensions"/> are in GGUF/ggml order: element 0 (ne0) is the
/// innermost, contiguous dimension, so a [rows x cols] matrix is stored as { cols, rows }.
/// </summary>
public sealed class GgufTensorInfo
{
    public GgufTensorInfo(string name, IReadOnlyList<long> dimensions, GgmlType type, ulong offset)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Count is < 1 or > MaxDimensions)
        {
            throw new ArgumentException($"A tensor has 1 to {MaxDimensions} dimensions, not {dimensions.Count}.", nameof(dimensions));
        }

        long elements = 1;
        foreach (long d in dimensions)
        {
            if (d < 1)
            {
                throw new ArgumentException($"Tensor '{name}' has a dimension of {d}.", nameof(dimensions));
            }

            elements = checked(elements * d);
        }

        if (!GgmlTypeInfo.IsKnown(type))
        {
            throw new ArgumentException($"Tensor '{name}' has unknown ggml type {(uint)type}.", nameof(type));
        }

        if (dimensions[0] % GgmlTypeInfo.BlockSize(type) != 0)
        {
            throw new ArgumentException($"Tensor '{name}': row length {dimensions[0]} is not a multiple of the {type} block size {GgmlTypeInfo.BlockSize(type)}.", nameof(dimensions));
        }

        Name = name;
        Dimensions = dimensions.ToArray();
        Type = type;
        Offset = offset;
        ElementCount = elements;
        ByteSize = GgmlTypeInfo.TryGetByteSize(type, elements) is var size and >= 0
            ? size
            : throw new ArgumentException($"Tensor '{name}' is too large.", nameof(dimensions));
    }

    /// <summary>ggml's GGML_MAX_DIMS.</summary>
    public const int MaxDimensions = 4;

    public string Name { get; }

    public IReadOnlyList<long> Dimensions { get; }

    public GgmlType Type { get; }

    /// <summary>Offset of the tensor's data from the start of the data section (see <see cref="GgufFile.DataOffset"/>).</summary>
    public ulong Offset { get; }

    public long ElementCount { get; }

    public long ByteSize { get; }

    public override string ToString() => $"{Name} [{string.Join(", ", Dimensions)}] {Type} @{Offset}";
}
