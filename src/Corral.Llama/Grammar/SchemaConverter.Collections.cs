using System.Text.Json;

namespace Corral.Llama.Grammar;

// Objects and arrays.
internal sealed partial class SchemaConverter
{
    /// <summary>
    /// Properties appear in the schema's order, required ones first (each mandatory), then optional ones
    /// (each may be skipped), then additional properties, as llama.cpp's converter does. Without
    /// "additionalProperties" only the listed properties are allowed (an object with no listed properties
    /// takes any members).
    /// </summary>
    private string VisitObject(JsonElement schema, string name)
    {
        var properties = new List<(string Key, JsonElement Schema)>();
        if (schema.TryGetProperty("properties", out var props))
        {
            if (props.ValueKind != JsonValueKind.Object)
            {
                throw new JsonSchemaNotSupportedException("properties", "'properties' must be an object.");
            }

            properties.AddRange(props.EnumerateObject().Select(p => (p.Name, p.Value)));
        }

        var required = new List<string>();
        if (schema.TryGetProperty("required", out var req))
        {
            if (req.ValueKind != JsonValueKind.Array || req.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            {
                throw new JsonSchemaNotSupportedException("required", "'required' must be an array of strings.");
            }

            required.AddRange(req.EnumerateArray().Select(r => r.GetString()!).Distinct());
        }

        foreach (var key in required.Where(r => properties.All(p => p.Key != r)).ToList())
        {
            properties.Add((key, TrueSchema));
        }

        JsonElement? additional = null;
        if (schema.TryGetProperty("additionalProperties", out var extra))
        {
            additional = extra.ValueKind == JsonValueKind.False ? null : extra;
        }
        else if (properties.Count == 0)
        {
            additional = TrueSchema;
        }

        if (properties.Count == 0 && additional is { } any && IsAnything(any))
        {
            return JsonPrimitives.Object(_rules);
        }

        var ws = Ws;
        var requiredKvs = new List<string>();
        var optionalKvs = new List<string>();
        foreach (var (key, propertySchema) in properties)
        {
            var valueRule = Sub(propertySchema, $"{name}-{key}");
            var kv = _rules.Add($"{name}-{key}-kv", $"{Gbnf.Literal(JsonString(key))} \":\" {ws} {valueRule}");
            (required.Contains(key) ? requiredKvs : optionalKvs).Add(kv);
        }

        string? additionalKv = null;
        if (additional is { } additionalSchema)
        {
            var keyRule = _rules.Add($"{name}-additional-key", KeyNotIn(properties.Select(p => p.Key).ToList()));
            var valueRule = Sub(additionalSchema, $"{name}-additional-value");
            additionalKv = _rules.Add($"{name}-additional-kv", $"{keyRule} \":\" {ws} {valueRule}");
        }

        var body = $"\"{{\" {ws} " + string.Join($" \",\" {ws} ", requiredKvs);
        if (optionalKvs.Count > 0 || additionalKv is not null)
        {
            var chain = OptionalChain(optionalKvs, additionalKv, name);
            body += requiredKvs.Count > 0 ? $" ( \",\" {ws} ( {chain} ) )?" : $"( {chain} )?";
        }

        return body + $" {ws} \"}}\"";
    }

    /// <summary>
    /// Any subset of the optional members in order, then any number of additional members: one
    /// alternative per first member, with shared "rest" rules so the grammar stays linear in size.
    /// </summary>
    private string OptionalChain(List<string> optional, string? additional, string name)
    {
        var ws = Ws;
        var items = new List<string>(optional);
        if (additional is not null)
        {
            items.Add(additional);
        }

        var isAdditional = (int i) => additional is not null && i == items.Count - 1;
        var rests = new string[items.Count + 1];
        rests[items.Count] = string.Empty;
        for (var i = items.Count - 1; i >= 1; i--)
        {
            var step = isAdditional(i) ? $"( \",\" {ws} {items[i]} )*" : $"( \",\" {ws} {items[i]} )?";
            rests[i] = _rules.Add($"{name}-rest-{i}", $"{step} {rests[i + 1]}".TrimEnd());
        }

        var alternatives = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var first = isAdditional(i) ? $"{items[i]} ( \",\" {ws} {items[i]} )*" : items[i];
            alternatives.Add($"{first} {rests[i + 1]}".TrimEnd());
        }

        return string.Join(" | ", alternatives);
    }

    /// <summary>
    /// A JSON string key that is none of <paramref name="names"/>, so additional members cannot repeat a
    /// listed property with a different value schema. Built from a trie of the names.
    /// </summary>
    private string KeyNotIn(List<string> names)
    {
        var str = JsonPrimitives.String(_rules);
        if (names.Count == 0 || names.Any(n => n.Any(c => c < 0x20 || c is '"' or '\\' || char.IsSurrogate(c))))
        {
            return str; // names needing escapes are rare; allow any key rather than a wrong grammar
        }

        var root = new KeyTrie();
        foreach (var key in names)
        {
            var node = root;
            foreach (var c in key)
            {
                node = node.Children.TryGetValue(c, out var next) ? next : node.Children[c] = new KeyTrie();
            }

            node.IsName = true;
        }

        return "\"\\\"\" " + KeyNotInTrie(root);
    }

    private string KeyNotInTrie(KeyTrie node)
    {
        var chr = JsonPrimitives.Char(_rules);
        var alternatives = new List<string>();
        foreach (var (c, child) in node.Children.OrderBy(p => p.Key))
        {
            alternatives.Add($"{Gbnf.Literal(c.ToString())} {KeyNotInTrie(child)}");
        }

        var excluded = node.Children.Keys.Select(c => ((int)c, (int)c)).ToList();
        excluded.AddRange([(0, 0x1F), ('"', '"'), ('\\', '\\'), (0x7F, 0x7F)]);
        alternatives.Add($"{Gbnf.CharClass(excluded, negated: true)} {chr}* \"\\\"\"");
        if (!node.IsName)
        {
            alternatives.Add("\"\\\"\"");
        }

        return "( " + string.Join(" | ", alternatives) + " )";
    }

    private sealed class KeyTrie
    {
        public Dictionary<char, KeyTrie> Children { get; } = [];

        public bool IsName { get; set; }
    }

    private string VisitArray(JsonElement schema, string name)
    {
        var minItems = SchemaKeywords.GetCount(schema, "minItems") ?? 0;
        var maxItems = SchemaKeywords.GetCount(schema, "maxItems");
        if (maxItems < minItems)
        {
            throw new JsonSchemaNotSupportedException("maxItems", "maxItems is below minItems: no array fits.");
        }

        var prefix = new List<JsonElement>();
        JsonElement? items = null;
        var hasItems = schema.TryGetProperty("items", out var itemsElement);
        if (schema.TryGetProperty("prefixItems", out var prefixItems))
        {
            if (prefixItems.ValueKind != JsonValueKind.Array)
            {
                throw new JsonSchemaNotSupportedException("prefixItems", "'prefixItems' must be an array.");
            }

            prefix.AddRange(prefixItems.EnumerateArray());
        }
        else if (hasItems && itemsElement.ValueKind == JsonValueKind.Array)
        {
            prefix.AddRange(itemsElement.EnumerateArray()); // draft 4-2019 tuple form
            hasItems = false;
        }

        if (hasItems)
        {
            items = itemsElement.ValueKind == JsonValueKind.False ? null : itemsElement;
        }

        var ws = Ws;
        var separator = $"\",\" {ws}";
        if (prefix.Count == 0)
        {
            if (!hasItems)
            {
                items = TrueSchema;
            }

            if (items is null)
            {
                maxItems = 0;
            }

            if (maxItems == 0)
            {
                return $"\"[\" {ws} \"]\"";
            }

            if (items is { } any && IsAnything(any) && minItems == 0 && maxItems is null)
            {
                return JsonPrimitives.Array(_rules);
            }

            var item = Sub(items!.Value, $"{name}-item");
            var body = ItemList(item, minItems, maxItems, name);
            return $"\"[\" {ws} {body} {ws} \"]\"";
        }

        // Every prefix item is written (as llama.cpp does); further items only when "items" allows them.
        if (maxItems < prefix.Count)
        {
            throw new JsonSchemaNotSupportedException("maxItems", "maxItems below the number of prefixItems is not supported.");
        }

        var parts = prefix.Select((p, i) => Sub(p, $"{name}-{i}")).ToList();
        var tuple = string.Join($" {separator} ", parts);
        var extraMin = Math.Max(0, minItems - prefix.Count);
        int? extraMax = items is null ? extraMin : maxItems - prefix.Count;
        if (extraMax is 0)
        {
            return $"\"[\" {ws} {tuple} {ws} \"]\"";
        }

        var extraItem = Sub(items ?? TrueSchema, $"{name}-item");
        var extra = _rules.Add($"{name}-next", $"{separator} {extraItem}");
        return $"\"[\" {ws} {tuple} {GbnfRepetition.Repeat(_rules, extra, extraMin, extraMax)} {ws} \"]\"";
    }

    /// <summary>item ("," item)* with the count in [min, max].</summary>
    private string ItemList(string item, int min, int? max, string name)
    {
        var next = _rules.Add($"{name}-next", $"\",\" {Ws} {item}");
        var rest = GbnfRepetition.Repeat(_rules, next, Math.Max(0, min - 1), max - 1);
        var list = $"{item} {rest}".TrimEnd();
        return min == 0 ? $"( {list} )?" : list;
    }

    private static bool IsAnything(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.True
        || (schema.ValueKind == JsonValueKind.Object && !SchemaKeywords.HasConstraintsBesides(schema));

    private static string JsonString(string text)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            writer.WriteStringValue(text);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static readonly JsonElement TrueSchema = JsonDocument.Parse("true").RootElement.Clone();
}
