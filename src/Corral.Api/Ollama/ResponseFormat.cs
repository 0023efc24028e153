using System.Text.Json;

namespace Corral.Api.Ollama;

/// <summary>Interprets the raw <c>format</c> field of generate and chat.</summary>
public static class ResponseFormat
{
    /// <summary>
    /// Classifies <paramref name="format"/>; throws <see cref="ArgumentException"/> with Ollama's text
    /// for anything that is neither "json" nor an object.
    /// </summary>
    public static ResponseFormatKind Classify(JsonElement? format)
    {
        if (format is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return ResponseFormatKind.None;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String when value.ValueEquals(string.Empty) => ResponseFormatKind.None,
            JsonValueKind.String when value.ValueEquals("json") => ResponseFormatKind.Json,
            JsonValueKind.Object => ResponseFormatKind.Schema,
            _ => throw new InvalidOptionException($"invalid format: {value.GetRawText()}; expected \"json\" or a valid JSON Schema", nameof(format)),
        };
    }
}
