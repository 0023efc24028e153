using System.Text.Json;

namespace Corral.Llama.Grammar;

/// <summary>
/// JSON Schema → GBNF (llama.cpp grammar) for structured outputs. Supported: type (incl. lists),
/// properties, required, additionalProperties, enum, const, items, prefixItems, minItems/maxItems,
/// minLength/maxLength, pattern (regex subset), format (date, time, date-time, uuid, email; other
/// formats are annotations), minimum/maximum/exclusive bounds (integers; numbers with whole-number
/// bounds), anyOf/oneOf, allOf (merged), local $ref with $defs/definitions (recursion allowed).
/// Annotations (title, description, examples, default, $schema, x-*) are ignored; any other keyword
/// throws <see cref="JsonSchemaNotSupportedException"/>.
/// </summary>
public static class JsonSchemaGrammar
{
    /// <summary>Converts a schema to a GBNF grammar whose start rule is <c>root</c>.</summary>
    /// <exception cref="JsonSchemaNotSupportedException">The schema uses something the converter cannot enforce.</exception>
    public static string Convert(JsonElement schema) => SchemaConverter.Convert(schema);

    /// <summary>Converts schema JSON text.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    /// <exception cref="JsonSchemaNotSupportedException">The schema uses something the converter cannot enforce.</exception>
    public static string Convert(string schemaJson)
    {
        using var document = JsonDocument.Parse(schemaJson);
        return Convert(document.RootElement);
    }
}
