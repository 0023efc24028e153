using System.Text.Json.Nodes;

namespace Corral.Models.Gguf;

/// <summary>
/// GGUF metadata as <c>/api/show</c> reports it in <c>model_info</c>: every key sorted, values as
/// JSON numbers/strings/bools, <c>general.parameter_count</c> computed from the tensors (Ollama
/// patches it in), and without <c>general.name</c> and <c>tokenizer.chat_template</c>. Arrays are
/// written only when <c>includeArrays</c> (verbose); otherwise they are null, or []
/// when empty, as Ollama writes arrays it skipped reading.
/// </summary>
public static class GgufModelInfo
{
    public static JsonObject ToJson(GgufFile file, bool includeArrays)
    {
        ArgumentNullException.ThrowIfNull(file);
        var entries = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in file.Metadata)
        {
            if (key is GgufKeys.Name or GgufKeys.ChatTemplate)
            {
                continue;
            }

            entries[key] = ToNode(value, includeArrays);
        }

        entries[GgufKeys.ParameterCount] = JsonValue.Create(file.ParameterCount);
        var json = new JsonObject();
        foreach (var (key, node) in entries)
        {
            json[key] = node;
        }

        return json;
    }

    private static JsonNode? ToNode(GgufValue value, bool includeArrays) => value.Type switch
    {
        GgufValueType.String => JsonValue.Create(value.AsString()),
        GgufValueType.Bool => JsonValue.Create(value.AsBool()),
        GgufValueType.Float32 => JsonValue.Create(value.AsFloat32()),
        GgufValueType.Float64 => JsonValue.Create(value.AsFloat64()),
        GgufValueType.UInt64 => JsonValue.Create(value.AsUInt64()),
        GgufValueType.Array => ArrayNode(value.AsArray(), includeArrays),
        _ => value.TryGetInt64(out var n) ? JsonValue.Create(n) : null,
    };

    private static JsonArray? ArrayNode(GgufArray array, bool includeArrays)
    {
        if (array.Count == 0)
        {
            return new JsonArray();
        }

        if (!includeArrays || !array.IsMaterialized)
        {
            return null;
        }

        var items = new JsonArray();
        if (array.ElementType == GgufValueType.String)
        {
            // Vocabularies hold 100k+ strings: skip the per-element GgufValue.
            foreach (var s in array.AsStrings())
            {
                items.Add(JsonValue.Create(s));
            }

            return items;
        }

        for (var i = 0; i < array.Count; i++)
        {
            items.Add(ToNode(array.GetElement(i), includeArrays));
        }

        return items;
    }
}
