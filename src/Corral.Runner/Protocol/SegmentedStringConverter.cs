using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>
/// Writes a string that may be megabytes long (a prompt, an input to embed) in short segments. Written whole,
/// <see cref="Utf8JsonWriter"/> escapes a string that needs it (a newline, the '&lt;' of a chat template's special
/// tokens) through a char array rented from the shared pool at six times the string's length, and the pool keeps
/// that array per thread for up to a minute: a 40 MB chat prompt rented 512 MB, wrote 80 MB of it, and each thread
/// that had serialized one held its own, so the server stayed 80–240 MB bigger after one request. A segment escapes
/// through a small buffer.
/// </summary>
public sealed class SegmentedStringConverter : JsonConverter<string>
{
    /// <summary>Characters per segment; strings up to this length are written whole.</summary>
    public const int SegmentLength = 4096;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => WriteValue(writer, value);

    /// <summary>Writes <paramref name="value"/> as one JSON string, in segments when it is long.</summary>
    /// <param name="writer">Where the value goes.</param>
    /// <param name="value">The text (a surrogate pair split between two segments is written whole).</param>
    public static void WriteValue(Utf8JsonWriter writer, ReadOnlySpan<char> value)
    {
        if (value.Length <= SegmentLength)
        {
            writer.WriteStringValue(value);
            return;
        }

        for (var offset = 0; offset < value.Length; offset += SegmentLength)
        {
            var length = Math.Min(SegmentLength, value.Length - offset);
            writer.WriteStringValueSegment(value.Slice(offset, length), isFinalSegment: offset + length == value.Length);
        }
    }
}
