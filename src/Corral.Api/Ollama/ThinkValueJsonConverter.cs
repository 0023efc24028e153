using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Reads true/false or "low"/"medium"/"high"/"max" (other strings are rejected with Ollama's text).</summary>
public sealed class ThinkValueJsonConverter : JsonConverter<ThinkValue>
{
    public override ThinkValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return ThinkValue.True;
            case JsonTokenType.False:
                return ThinkValue.False;
            case JsonTokenType.String:
                var level = reader.GetString()!;
                return ThinkValue.IsValidLevel(level)
                    ? ThinkValue.FromLevel(level)
                    : throw new JsonException(ThinkValue.InvalidLevelMessage(level));

            default:
                throw new JsonException("think must be a boolean or string (\"high\", \"medium\", \"low\", \"max\", true, or false)");
        }
    }

    public override void Write(Utf8JsonWriter writer, ThinkValue value, JsonSerializerOptions options)
    {
        if (value.Level is { } level)
        {
            writer.WriteStringValue(level);
        }
        else
        {
            writer.WriteBooleanValue(value.IsEnabled);
        }
    }
}
