using System.Buffers;
using System.Text.Json;

namespace Corral.Llama.Grammar;

/// <summary>
/// Merges allOf components (and $ref targets with sibling keywords) into one schema: properties are
/// combined (a property in several components gets an allOf of its schemas), required lists joined,
/// types intersected, numeric and length bounds tightened. Other keywords must agree.
/// </summary>
internal sealed class SchemaMerger(SchemaConverter converter)
{
    private const int MaxDepth = 32;

    private static readonly HashSet<string> LowerBounds = new(StringComparer.Ordinal)
    {
        "minimum", "exclusiveMinimum", "minLength", "minItems",
    };

    private static readonly HashSet<string> UpperBounds = new(StringComparer.Ordinal)
    {
        "maximum", "exclusiveMaximum", "maxLength", "maxItems",
    };

    /// <summary>The schema without <paramref name="keyword"/>.</summary>
    public static JsonElement Without(JsonElement schema, string keyword) =>
        Write(writer =>
        {
            foreach (var property in schema.EnumerateObject())
            {
                if (property.Name != keyword)
                {
                    property.WriteTo(writer);
                }
            }
        });

    public JsonElement Merge(IReadOnlyList<JsonElement> components)
    {
        var flat = new List<JsonElement>();
        foreach (var component in components)
        {
            Flatten(component, flat, 0);
        }

        var keywords = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var component in flat)
        {
            foreach (var property in component.EnumerateObject())
            {
                if (SchemaKeywords.IsIgnored(property.Name))
                {
                    continue;
                }

                if (!keywords.TryGetValue(property.Name, out var list))
                {
                    keywords[property.Name] = list = [];
                    order.Add(property.Name);
                }

                list.Add(property.Value);
            }
        }

        return Write(writer =>
        {
            foreach (var keyword in order)
            {
                writer.WritePropertyName(keyword);
                WriteMerged(writer, keyword, keywords[keyword]);
            }
        });
    }

    private void Flatten(JsonElement schema, List<JsonElement> into, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonSchemaNotSupportedException("allOf", "allOf/$ref nest too deeply (a schema that includes itself?).");
        }

        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return;
            case JsonValueKind.False:
                throw new JsonSchemaNotSupportedException("false", "A 'false' schema allows no value.");
            case JsonValueKind.Object:
                break;
            default:
                throw new JsonSchemaNotSupportedException("allOf", "allOf entries must be schemas.");
        }

        SchemaKeywords.ThrowIfUnsupported(schema);
        var rest = schema;
        if (schema.TryGetProperty("$ref", out var reference))
        {
            Flatten(converter.Resolve(SchemaConverter.RefString(reference)), into, depth + 1);
            rest = Without(rest, "$ref");
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            if (allOf.ValueKind != JsonValueKind.Array)
            {
                throw new JsonSchemaNotSupportedException("allOf", "'allOf' must be an array.");
            }

            foreach (var component in allOf.EnumerateArray())
            {
                Flatten(component, into, depth + 1);
            }

            rest = Without(rest, "allOf");
        }

        into.Add(rest);
    }

    private static void WriteMerged(Utf8JsonWriter writer, string keyword, List<JsonElement> values)
    {
        if (values.Count == 1)
        {
            values[0].WriteTo(writer);
            return;
        }

        RequireShape(keyword, values);
        switch (keyword)
        {
            case "properties":
                WriteProperties(writer, values);
                return;
            case "required":
                writer.WriteStartArray();
                foreach (var name in values.SelectMany(v => v.EnumerateArray()).Select(v => v.GetString()).Distinct())
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
                return;
            case "type":
                WriteTypeIntersection(writer, values);
                return;
            case "additionalProperties" when values.Any(v => v.ValueKind == JsonValueKind.False):
                writer.WriteBooleanValue(false);
                return;
        }

        if (values.All(v => v.ValueKind == JsonValueKind.Number) && (LowerBounds.Contains(keyword) || UpperBounds.Contains(keyword)))
        {
            var tightest = LowerBounds.Contains(keyword)
                ? values.MaxBy(v => v.GetDouble())
                : values.MinBy(v => v.GetDouble());
            tightest.WriteTo(writer);
            return;
        }

        var first = SchemaConverter.Compact(values[0]);
        if (values.Skip(1).Any(v => SchemaConverter.Compact(v) != first))
        {
            throw new JsonSchemaNotSupportedException(keyword, $"allOf combines different '{keyword}' values, which is not supported.");
        }

        values[0].WriteTo(writer);
    }

    /// <summary>
    /// The merges below read these keywords' values as what the schema spec says they are; a schema is a client's
    /// input, so anything else is refused here rather than failing inside System.Text.Json.
    /// </summary>
    private static void RequireShape(string keyword, List<JsonElement> values)
    {
        var (ok, shape) = keyword switch
        {
            "properties" => (values.All(v => v.ValueKind == JsonValueKind.Object), "an object"),
            "required" => (values.All(v => v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(IsString)), "an array of strings"),
            "type" => (values.All(v => IsString(v) || (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(IsString))),
                "a string or an array of strings"),
            _ => (true, ""),
        };
        if (!ok)
        {
            throw new JsonSchemaNotSupportedException(keyword, $"'{keyword}' must be {shape}.");
        }

        static bool IsString(JsonElement e) => e.ValueKind == JsonValueKind.String;
    }

    private static void WriteProperties(Utf8JsonWriter writer, List<JsonElement> values)
    {
        var merged = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var property in values.SelectMany(v => v.EnumerateObject()))
        {
            if (!merged.TryGetValue(property.Name, out var list))
            {
                merged[property.Name] = list = [];
                order.Add(property.Name);
            }

            list.Add(property.Value);
        }

        writer.WriteStartObject();
        foreach (var name in order)
        {
            writer.WritePropertyName(name);
            var schemas = merged[name];
            if (schemas.Count == 1)
            {
                schemas[0].WriteTo(writer);
                continue;
            }

            writer.WriteStartObject();
            writer.WriteStartArray("allOf");
            foreach (var schema in schemas)
            {
                schema.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteTypeIntersection(Utf8JsonWriter writer, List<JsonElement> values)
    {
        var sets = values.Select(v => v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(t => t.GetString() ?? string.Empty).ToHashSet()
            : [v.GetString() ?? string.Empty]).ToList();
        var allowed = sets.SelectMany(s => s).Distinct()
            .Where(t => sets.All(s => s.Contains(t) || (t == "integer" && s.Contains("number"))))
            .ToList();
        if (allowed.Count == 0)
        {
            throw new JsonSchemaNotSupportedException("allOf", "allOf combines schemas whose types do not overlap.");
        }

        writer.WriteStartArray();
        foreach (var type in allowed)
        {
            writer.WriteStringValue(type);
        }

        writer.WriteEndArray();
    }

    private static JsonElement Write(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
