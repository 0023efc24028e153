using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>Reads a string or an array of <see cref="ContentBlock"/>.</summary>
public sealed class MessageContentJsonConverter : JsonConverter<MessageContent>
{
    public override MessageContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new MessageContent(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("content must be a string or an array of content blocks");
        }

        var blocks = JsonSerializer.Deserialize(ref reader, AnthropicJsonContext.Default.IReadOnlyListContentBlock);
        return new MessageContent(blocks ?? []);
    }

    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options)
    {
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Blocks!, AnthropicJsonContext.Wire.IReadOnlyListContentBlock);
        }
    }
}
