using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Reads a string or an array of <see cref="ContentPart"/>.</summary>
public sealed class ChatContentJsonConverter : JsonConverter<ChatContent>
{
    public override ChatContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new ChatContent(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("invalid message content type");
        }

        var parts = JsonSerializer.Deserialize(ref reader, OpenAIJsonContext.Default.IReadOnlyListContentPart);
        return new ChatContent(parts ?? []);
    }

    public override void Write(Utf8JsonWriter writer, ChatContent value, JsonSerializerOptions options)
    {
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Parts!, OpenAIJsonContext.Default.IReadOnlyListContentPart);
        }
    }
}
