using System.Text.Json;

namespace Corral.Bench.Soak;

/// <summary>
/// Reading answers with the JSON DOM (no reflection, no types to bind): the soak checks a few fields of each answer
/// and needs nothing else from them.
/// </summary>
internal static class Json
{
    /// <summary>The answer as a document, or a failure of kind "bad JSON" when it is not JSON.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> bytes, string what)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            throw new SoakFailure($"bad JSON in {what}");
        }
    }

    /// <summary>Ollama's <c>{"error": "..."}</c> or OpenAI's <c>{"error": {"message": "..."}}</c>; null when there is none.</summary>
    public static string? ErrorMessage(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
            ? error.ValueKind == JsonValueKind.String ? error.GetString()
                : error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : error.ToString()
            : null;

    public static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return ErrorMessage(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The element at a path of property names and array indexes, or a failure naming what is missing.</summary>
    public static JsonElement Require(JsonElement root, string what, params object[] path)
    {
        var at = root;
        foreach (var step in path)
        {
            var found = step switch
            {
                string name => at.ValueKind == JsonValueKind.Object && at.TryGetProperty(name, out at),
                int index => at.ValueKind == JsonValueKind.Array && at.GetArrayLength() > index && (at = at[index]).ValueKind != JsonValueKind.Undefined,
                _ => false,
            };
            if (!found)
            {
                throw new SoakFailure($"{what} answer has no {string.Join('.', path)}");
            }
        }

        return at;
    }
}
