using System.Text.Json;

namespace Corral.Llama.Grammar;

/// <summary>Which JSON Schema keywords the converter enforces, which it may ignore, and shared lookups.</summary>
internal static class SchemaKeywords
{
    /// <summary>Keywords that never constrain the value (annotations and definition containers).</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "title", "description", "$schema", "$id", "$comment", "examples", "example", "default", "deprecated",
        "readOnly", "writeOnly", "contentMediaType", "contentEncoding", "$defs", "definitions",
    };

    private static readonly HashSet<string> Enforced = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "enum", "const", "items", "prefixItems",
        "minItems", "maxItems", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "anyOf", "oneOf", "allOf", "$ref",
    };

    /// <summary>Annotations, definition containers and vendor extensions (<c>x-*</c>).</summary>
    public static bool IsIgnored(string keyword) => Ignored.Contains(keyword) || keyword.StartsWith("x-", StringComparison.Ordinal);

    /// <summary>Throws for the first keyword that is neither enforced nor ignorable.</summary>
    public static void ThrowIfUnsupported(JsonElement schema)
    {
        foreach (var property in schema.EnumerateObject())
        {
            if (!Enforced.Contains(property.Name) && !IsIgnored(property.Name))
            {
                throw new JsonSchemaNotSupportedException(property.Name,
                    $"The JSON schema keyword '{property.Name}' is not supported in structured outputs.");
            }
        }
    }

    /// <summary>True when the schema has keywords other than <paramref name="except"/> that constrain values.</summary>
    public static bool HasConstraintsBesides(JsonElement schema, params string[] except)
    {
        foreach (var property in schema.EnumerateObject())
        {
            if (!IsIgnored(property.Name) && Array.IndexOf(except, property.Name) < 0)
            {
                return true;
            }
        }

        return false;
    }

    public static bool TryGet(JsonElement schema, string keyword, out JsonElement value) =>
        schema.TryGetProperty(keyword, out value);

    /// <summary>A non-negative integer keyword (minLength, maxItems, ...), or null when absent.</summary>
    public static int? GetCount(JsonElement schema, string keyword)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && d >= 0 && d == decimal.Truncate(d))
        {
            return d > int.MaxValue ? int.MaxValue : (int)d;
        }

        throw new JsonSchemaNotSupportedException(keyword, $"'{keyword}' must be a non-negative integer.");
    }

    /// <summary>A numeric bound keyword, or null when absent.</summary>
    public static decimal? GetBound(JsonElement schema, string keyword)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetDecimal(out var d))
            {
                return d;
            }

            // Beyond decimal's range: as good as unbounded for 16-digit numbers.
            return value.GetDouble() > 0 ? decimal.MaxValue : decimal.MinValue;
        }

        // Draft 4: exclusiveMinimum/exclusiveMaximum were booleans modifying minimum/maximum.
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return null;
        }

        throw new JsonSchemaNotSupportedException(keyword, $"'{keyword}' must be a number.");
    }

    public static bool IsDraft4Exclusive(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.True;
}
