using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Number (seconds) or Go duration string in; "5m0s"-style string or -1 (forever) out, like Ollama.</summary>
public sealed class KeepAliveJsonConverter : JsonConverter<KeepAlive>
{
    public override KeepAlive Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return KeepAlive.FromSeconds(reader.GetDouble());
            case JsonTokenType.String:
                try
                {
                    return KeepAlive.Parse(reader.GetString()!);
                }
                catch (FormatException ex)
                {
                    throw new JsonException(ex.Message, ex);
                }

            default:
                throw new JsonException($"Unsupported type: '{reader.TokenType}' for keep_alive");
        }
    }

    public override void Write(Utf8JsonWriter writer, KeepAlive value, JsonSerializerOptions options)
    {
        if (value.IsForever)
        {
            writer.WriteNumberValue(-1);
        }
        else
        {
            writer.WriteStringValue(value.ToString());
        }
    }
}
