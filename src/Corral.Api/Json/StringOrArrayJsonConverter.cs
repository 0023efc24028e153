using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Json;

/// <summary>Reads a string or an array of strings; anything else is a <see cref="JsonException"/>.</summary>
public sealed class StringOrArrayJsonConverter : JsonConverter<StringOrArray>
{
    public override StringOrArray Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new StringOrArray(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("invalid input type: expected a string or an array of strings");
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("invalid input type: expected a string or an array of strings");
            }

            values.Add(reader.GetString()!);
        }

        return new StringOrArray(values);
    }

    public override void Write(Utf8JsonWriter writer, StringOrArray value, JsonSerializerOptions options)
    {
        if (!value.IsArray)
        {
            writer.WriteStringValue(value.Values[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (var item in value.Values)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
