using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>A string array whose items may be megabytes long, each written as <see cref="SegmentedStringConverter"/> does.</summary>
public sealed class SegmentedStringArrayConverter : JsonConverter<string[]>
{
    public override string[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array of strings");
        }

        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(reader.GetString() ?? throw new JsonException("expected a string, not null"));
        }

        return [.. items];
    }

    public override void Write(Utf8JsonWriter writer, string[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            SegmentedStringConverter.WriteValue(writer, item);
        }

        writer.WriteEndArray();
    }
}
