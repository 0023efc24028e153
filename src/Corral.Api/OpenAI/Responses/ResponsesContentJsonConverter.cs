using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>Reads a string or an array of <see cref="ResponsesContentPart"/>.</summary>
public sealed class ResponsesContentJsonConverter : JsonConverter<ResponsesContent>
{
    public override ResponsesContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => new ResponsesContent(reader.GetString()!),
        JsonTokenType.StartArray => new ResponsesContent(JsonSerializer.Deserialize(ref reader, ResponsesJsonContext.Default.IReadOnlyListResponsesContentPart) ?? []),
        _ => throw new JsonException("content must be a string or an array of content parts"),
    };

    public override void Write(Utf8JsonWriter writer, ResponsesContent value, JsonSerializerOptions options)
    {
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Parts!, ResponsesJsonContext.Default.IReadOnlyListResponsesContentPart);
        }
    }
}
