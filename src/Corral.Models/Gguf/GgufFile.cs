using System.Diagnostics.CodeAnalysis;

namespace Corral.Models.Gguf;

/// <summary>The header of a GGUF file: metadata and tensor directory (tensor data stays on disk).</summary>
public sealed class GgufFile
{
    internal GgufFile(uint version, GgufMetadata metadata, IReadOnlyList<GgufTensorInfo> tensors, uint alignment, long dataOffset, long fileSize)
    {
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        Alignment = alignment;
        DataOffset = dataOffset;
        FileSize = fileSize;
        TensorsByName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public uint Version { get; }

    public GgufMetadata Metadata { get; }

    /// <summary>Tensor infos in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, GgufTensorInfo> TensorsByName { get; }

    /// <summary>general.alignment, or 32 when absent.</summary>
    public uint Alignment { get; }

    /// <summary>Absolute file offset where the tensor data section starts.</summary>
    public long DataOffset { get; }

    public long FileSize { get; }

    /// <summary>general.architecture ("llama", "bert", ...), or null when absent.</summary>
    public string? Architecture => TryGetString(GgufKeys.Architecture, out string? arch) ? arch : null;

    public string? Name => TryGetString(GgufKeys.Name, out string? name) ? name : null;

    /// <summary>general.file_type (a llama_ftype value), or null when absent.</summary>
    public uint? FileType => TryGetUInt32(GgufKeys.FileType, out uint ft) ? ft : null;

    /// <summary>Total number of tensor elements: the model's parameter count.</summary>
    public long ParameterCount => Tensors.Sum(t => t.ElementCount);

    /// <summary>Absolute file offset of one tensor's data.</summary>
    public long GetTensorFileOffset(GgufTensorInfo tensor) => DataOffset + (long)tensor.Offset;

    public GgufValue Get(string key) => Metadata[key];

    public string GetString(string key) => Metadata[key].AsString();

    public bool TryGetString(string key, [MaybeNullWhen(false)] out string value)
    {
        if (Metadata.TryGetValue(key, out GgufValue? v) && v.Type == GgufValueType.String)
        {
            value = v.AsString();
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Any integer type whose value fits in a uint (writers disagree on u32 vs i32).</summary>
    public uint GetUInt32(string key) => TryGetUInt32(key, out uint value)
        ? value
        : throw new InvalidCastException($"GGUF key '{key}' is missing or not an unsigned 32-bit value.");

    public bool TryGetUInt32(string key, out uint value)
    {
        value = 0;
        if (!TryGetInt64(key, out long l) || l is < 0 or > uint.MaxValue)
        {
            return false;
        }

        value = (uint)l;
        return true;
    }

    public long GetInt64(string key) => TryGetInt64(key, out long value)
        ? value
        : throw new InvalidCastException($"GGUF key '{key}' is missing or not an integer.");

    public bool TryGetInt64(string key, out long value)
    {
        value = 0;
        return Metadata.TryGetValue(key, out GgufValue? v) && v.TryGetInt64(out value);
    }

    /// <summary>Float32, Float64 or integer values as a double.</summary>
    public bool TryGetDouble(string key, out double value)
    {
        value = 0;
        return Metadata.TryGetValue(key, out GgufValue? v) && v.TryGetDouble(out value);
    }

    public float GetFloat32(string key) => TryGetDouble(key, out double d)
        ? (float)d
        : throw new InvalidCastException($"GGUF key '{key}' is missing or not a number.");

    public bool GetBool(string key) => Metadata[key].AsBool();

    public GgufArray GetArray(string key) => Metadata[key].AsArray();

    public bool TryGetArray(string key, [MaybeNullWhen(false)] out GgufArray value)
    {
        if (Metadata.TryGetValue(key, out GgufValue? v) && v.Type == GgufValueType.Array)
        {
            value = v.AsArray();
            return true;
        }

        value = null;
        return false;
    }

    public IReadOnlyList<string> GetStrings(string key) => GetArray(key).AsStrings();

    /// <summary>An architecture-scoped key, e.g. <c>GetArchKey("context_length")</c> → "llama.context_length".</summary>
    public string GetArchKey(string suffix) =>
        (Architecture ?? throw new InvalidOperationException("GGUF file has no general.architecture.")) + "." + suffix;

    /// <summary>"{arch}.{suffix}" as a uint, when present.</summary>
    public uint? GetArchUInt32(string suffix) =>
        Architecture is { } arch && TryGetUInt32(arch + "." + suffix, out uint v) ? v : null;
}
