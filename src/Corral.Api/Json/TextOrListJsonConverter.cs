using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Corral.Api.Json;

/// <summary>
/// The wire shape the OpenAI and Anthropic APIs use for content and input: either a plain string or an
/// array of typed items. Subclasses say how to build and take apart their value and which
/// source-generated list metadata to use; reading and writing live here once.
/// </summary>
public abstract class TextOrListJsonConverter<TValue, TItem> : JsonConverter<TValue>
    where TValue : class
{
    /// <summary>The message of the <see cref="JsonException"/> for any other token.</summary>
    protected abstract string ShapeError { get; }

    protected abstract JsonTypeInfo<IReadOnlyList<TItem>> ReadListInfo { get; }

    /// <summary>Metadata for writing the list (a context with the wire options, e.g. nulls left out).</summary>
    protected virtual JsonTypeInfo<IReadOnlyList<TItem>> WriteListInfo => ReadListInfo;

    protected abstract TValue FromText(string text);

    protected abstract TValue FromList(IReadOnlyList<TItem> items);

    /// <summary>The string, when the value was one; else null and <see cref="ListOf"/> is set.</summary>
    protected abstract string? TextOf(TValue value);

    protected abstract IReadOnlyList<TItem> ListOf(TValue value);

    public sealed override TValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => FromText(reader.GetString()!),
        JsonTokenType.StartArray => FromList(JsonSerializer.Deserialize(ref reader, ReadListInfo) ?? []),
        _ => throw new JsonException(ShapeError),
    };

    public sealed override void Write(Utf8JsonWriter writer, TValue value, JsonSerializerOptions options)
    {
        if (TextOf(value) is { } text)
        {
            writer.WriteStringValue(text);
        }
        else
        {
            JsonSerializer.Serialize(writer, ListOf(value), WriteListInfo);
        }
    }
}
