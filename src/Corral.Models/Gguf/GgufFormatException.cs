namespace Corral.Models.Gguf;

/// <summary>A file is not a valid GGUF file (or uses a feature this reader does not support).</summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException(string message, long? offset = null)
        : base(offset is { } o ? $"invalid GGUF file: {message} (at byte offset {o})" : $"invalid GGUF file: {message}")
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the file where the problem was found, when known.</summary>
    public long? Offset { get; }
}
