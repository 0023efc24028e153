using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Corral.Templates.Jinja;

/// <summary>
/// Turns .NET and System.Text.Json values into the Python-like values templates see: JSON objects become dicts
/// (property order kept), arrays lists, integers int, other numbers float.
/// </summary>
public static class JinjaValues
{
    /// <summary>
    /// Accepts null, bool, string, integer and floating types, <see cref="JsonElement"/>, <see cref="JsonNode"/>,
    /// string-keyed dictionaries and other enumerables (as lists).
    /// </summary>
    public static object? From(object? value) => value switch
    {
        null => null,
        string or bool or long or double => value,
        int i => (long)i,
        uint u => (long)u,
        short s => (long)s,
        byte b => (long)b,
        ulong ul => ul <= long.MaxValue ? (long)ul : (double)ul,
        float f => (double)f,
        decimal m => (double)m,
        JsonElement e => FromJson(e),
        JsonNode n => FromJson(n),
        JinjaDict or JinjaNamespace or IJinjaCallable => value,
        IDictionary<string, object?> dict => FromDictionary(dict),
        IReadOnlyDictionary<string, object?> ro => FromPairs(ro),
        IEnumerable e => e.Cast<object?>().Select(From).ToList(),
        _ => PyFormat.Str(value.ToString()),
    };

    private static JinjaDict FromDictionary(IDictionary<string, object?> dict) => FromPairs(dict);

    private static JinjaDict FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var result = new JinjaDict();
        foreach (var (k, v) in pairs)
        {
            result[k] = From(v);
        }

        return result;
    }

    public static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                {
                    var dict = new JinjaDict();
                    foreach (var p in element.EnumerateObject())
                    {
                        dict[p.Name] = FromJson(p.Value);
                    }

                    return dict;
                }

            case JsonValueKind.Array:
                {
                    var list = new List<object?>(element.GetArrayLength());
                    foreach (var item in element.EnumerateArray())
                    {
                        list.Add(FromJson(item));
                    }

                    return list;
                }

            case JsonValueKind.String: return element.GetString();
            case JsonValueKind.Number: return element.TryGetInt64(out var l) ? (object)l : element.GetDouble();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            default: return null;
        }
    }

    public static object? FromJson(JsonNode? node)
    {
        switch (node)
        {
            case null: return null;
            case JsonObject obj:
                {
                    var dict = new JinjaDict(obj.Count);
                    foreach (var (k, v) in obj)
                    {
                        dict[k] = FromJson(v);
                    }

                    return dict;
                }

            case JsonArray array: return array.Select(FromJson).ToList();
            default:
                var value = (JsonValue)node;
                if (value.TryGetValue<JsonElement>(out var element))
                {
                    return FromJson(element);
                }

                if (value.TryGetValue<string>(out var s))
                {
                    return s;
                }

                if (value.TryGetValue<bool>(out var b))
                {
                    return b;
                }

                if (value.TryGetValue<long>(out var l))
                {
                    return l;
                }

                if (value.TryGetValue<int>(out var i))
                {
                    return (long)i;
                }

                return value.TryGetValue<double>(out var d) ? d : From(value.GetValue<object>());
        }
    }
}
