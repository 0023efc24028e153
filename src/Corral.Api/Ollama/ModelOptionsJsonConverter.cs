using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>
/// Reads Ollama's <c>options</c> object into <see cref="ModelOptions"/>: unknown names are collected in
/// <see cref="ModelOptions.UnknownKeys"/> and otherwise ignored; a wrong type is a <see cref="JsonException"/>
/// with Ollama's text (<c>option "top_k" must be of type integer</c>). Writes only the options that are set.
/// </summary>
public sealed class ModelOptionsJsonConverter : JsonConverter<ModelOptions>
{
    public override ModelOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("options must be an object");
        }

        var result = new ModelOptions();
        List<string>? unknown = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            using var document = JsonDocument.ParseValue(ref reader);
            if (!result.TrySet(key, document.RootElement, out var error))
            {
                if (error is not null)
                {
                    throw new JsonException(error);
                }

                (unknown ??= []).Add(key);
            }
        }

        result.SetUnknownKeys(unknown);
        return result;
    }

    public override void Write(Utf8JsonWriter writer, ModelOptions value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var descriptor in ModelOptions.AllDescriptors)
        {
            switch (descriptor.Get(value))
            {
                case null:
                    break;
                case int i:
                    writer.WriteNumber(descriptor.Name, i);
                    break;
                case float f:
                    writer.WriteNumber(descriptor.Name, f);
                    break;
                case bool b:
                    writer.WriteBoolean(descriptor.Name, b);
                    break;
                case IReadOnlyList<string> list:
                    writer.WriteStartArray(descriptor.Name);
                    foreach (var item in list)
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
