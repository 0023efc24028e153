using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Writes a float array, or the base64 string when that form was chosen.</summary>
public sealed class EmbeddingValueJsonConverter : JsonConverter<EmbeddingValue>
{
    public override EmbeddingValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new EmbeddingValue(null, reader.GetString());
        }

        var floats = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            floats.Add(reader.GetSingle());
        }

        return new EmbeddingValue([.. floats], null);
    }

    public override void Write(Utf8JsonWriter writer, EmbeddingValue value, JsonSerializerOptions options)
    {
        if (value.Base64 is not null)
        {
            writer.WriteStringValue(value.Base64);
            return;
        }

        writer.WriteStartArray();
        foreach (var f in value.Floats ?? [])
        {
            writer.WriteNumberValue(f);
        }

        writer.WriteEndArray();
    }
}
