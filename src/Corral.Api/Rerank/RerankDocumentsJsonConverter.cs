using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Rerank;

/// <summary>Reads an array whose items are strings or objects with a string <c>text</c>; writes an array of strings.</summary>
public sealed class RerankDocumentsJsonConverter : JsonConverter<IReadOnlyList<string>>
{
    private const string Expected = "documents must be an array of strings or of objects with a \"text\" string";

    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException(Expected);
        }

        var documents = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            documents.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.StartObject => ReadText(ref reader),
                _ => throw new JsonException(Expected),
            });
        }

        return documents;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var document in value)
        {
            writer.WriteStringValue(document);
        }

        writer.WriteEndArray();
    }

    /// <summary>The <c>text</c> of one document object; its other fields (ids, metadata) are skipped.</summary>
    private static string ReadText(ref Utf8JsonReader reader)
    {
        string? text = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isText = reader.ValueTextEquals("text");
            reader.Read();
            if (isText && reader.TokenType == JsonTokenType.String)
            {
                text = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return text ?? throw new JsonException(Expected);
    }
}
