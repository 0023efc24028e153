using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>Reads <c>input</c> as a string or an array of <see cref="ResponsesInputItem"/>.</summary>
public sealed class ResponsesInputJsonConverter : JsonConverter<ResponsesInput>
{
    public override ResponsesInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => new ResponsesInput(reader.GetString()!),
        JsonTokenType.StartArray => new ResponsesInput(JsonSerializer.Deserialize(ref reader, ResponsesJsonContext.Default.IReadOnlyListResponsesInputItem) ?? []),
        _ => throw new JsonException("input must be a string or an array of input items"),
    };

    public override void Write(Utf8JsonWriter writer, ResponsesInput value, JsonSerializerOptions options)
    {
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Items!, ResponsesJsonContext.Default.IReadOnlyListResponsesInputItem);
        }
    }
}
