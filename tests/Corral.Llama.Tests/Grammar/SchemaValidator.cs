using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Corral.Llama.Tests.Grammar;

/// <summary>
/// A small JSON Schema validator for the keywords the grammar converter supports; returns the first
/// violation as text (null when valid). Formats are checked structurally.
/// </summary>
internal sealed class SchemaValidator(JsonElement root)
{
    public string? Validate(JsonElement value) => Check(root, value, "$");

    private string? Check(JsonElement schema, JsonElement value, string path)
    {
        if (schema.ValueKind == JsonValueKind.True) return null;
        if (schema.ValueKind == JsonValueKind.False) return $"{path}: false schema";
        if (schema.TryGetProperty("$ref", out var reference) && Check(Resolve(reference.GetString()!), value, path) is { } refError) return refError;
        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var s in allOf.EnumerateArray())
            {
                if (Check(s, value, path) is { } e) return e;
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf) && !anyOf.EnumerateArray().Any(s => Check(s, value, path) is null))
            return $"{path}: matches no anyOf branch";
        if (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Count(s => Check(s, value, path) is null) != 1)
            return $"{path}: does not match exactly one oneOf branch";
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
            return $"{path}: not the const";
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)))
            return $"{path}: not in enum";
        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!types.Any(t => HasType(value, t))) return $"{path}: not of type {string.Join("/", types)}";
        }

        return value.ValueKind switch
        {
            JsonValueKind.Object => CheckObject(schema, value, path),
            JsonValueKind.Array => CheckArray(schema, value, path),
            JsonValueKind.String => CheckString(schema, value.GetString()!, path),
            JsonValueKind.Number => CheckNumber(schema, value.GetDecimal(), path),
            _ => null,
        };
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.GetDecimal() == decimal.Truncate(value.GetDecimal()),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new ArgumentException(type),
    };

    private string? CheckObject(JsonElement schema, JsonElement value, string path)
    {
        var names = value.EnumerateObject().Select(p => p.Name).ToList();
        if (names.Count != names.Distinct().Count()) return $"{path}: duplicate keys";
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!names.Contains(name)) return $"{path}: missing required '{name}'";
            }
        }

        schema.TryGetProperty("properties", out var properties);
        foreach (var member in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var propertySchema))
            {
                if (Check(propertySchema, member.Value, $"{path}.{member.Name}") is { } e) return e;
            }
            else if (schema.TryGetProperty("additionalProperties", out var additional)
                && Check(additional, member.Value, $"{path}.{member.Name}") is { } e)
            {
                return e;
            }
        }

        return null;
    }

    private string? CheckArray(JsonElement schema, JsonElement value, string path)
    {
        var items = value.EnumerateArray().ToList();
        if (Count(schema, "minItems") is { } min && items.Count < min) return $"{path}: fewer than {min} items";
        if (Count(schema, "maxItems") is { } max && items.Count > max) return $"{path}: more than {max} items";
        var prefix = schema.TryGetProperty("prefixItems", out var p) ? p.EnumerateArray().ToList() : [];
        for (var i = 0; i < items.Count; i++)
        {
            var itemSchema = i < prefix.Count ? prefix[i] : schema.TryGetProperty("items", out var s) ? s : default;
            if (itemSchema.ValueKind != JsonValueKind.Undefined && Check(itemSchema, items[i], $"{path}[{i}]") is { } e) return e;
        }

        return null;
    }

    /// <summary>
    /// The grammar matches code points; .NET's regex matches UTF-16 units, so each astral character stands in
    /// as one private-use BMP character (the test patterns name no astral characters).
    /// </summary>
    private static string OneUnitPerCodePoint(string text) =>
        string.Concat(text.EnumerateRunes().Select(r => r.IsBmp ? r.ToString() : "\uE000"));

    private static string? CheckString(JsonElement schema, string text, string path)
    {
        var length = text.EnumerateRunes().Count();
        if (Count(schema, "minLength") is { } min && length < min) return $"{path}: shorter than {min}";
        if (Count(schema, "maxLength") is { } max && length > max) return $"{path}: longer than {max}";
        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(OneUnitPerCodePoint(text), pattern.GetString()!, RegexOptions.ECMAScript))
            return $"{path}: '{text}' does not match {pattern.GetString()}";
        if (schema.TryGetProperty("format", out var format) && !FormatOk(format.GetString()!, text))
            return $"{path}: '{text}' is not a {format.GetString()}";
        return null;
    }

    private static bool FormatOk(string format, string text) => format switch
    {
        "date" => IsDate(text),
        "time" => Regex.IsMatch(text, @"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"),
        "date-time" => text.Length > 11 && text[10] == 'T' && IsDate(text[..10]) && FormatOk("time", text[11..]),
        "uuid" => Guid.TryParseExact(text, "D", out _),
        "email" => Regex.IsMatch(text, @"^[^@\s.]+(\.[^@\s.]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"),
        _ => true,
    };

    private static bool IsDate(string text)
    {
        if (!Regex.IsMatch(text, @"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")) return false;
        var month = int.Parse(text[5..7], CultureInfo.InvariantCulture);
        var day = int.Parse(text[8..10], CultureInfo.InvariantCulture);
        // Structural check (Feb 29 accepted in any year, as the grammar does).
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, month);
    }

    private static string? CheckNumber(JsonElement schema, decimal number, string path)
    {
        if (Bound(schema, "minimum") is { } min && number < min) return $"{path}: {number} < {min}";
        if (Bound(schema, "maximum") is { } max && number > max) return $"{path}: {number} > {max}";
        if (Bound(schema, "exclusiveMinimum") is { } exMin && number <= exMin) return $"{path}: {number} <= {exMin}";
        if (Bound(schema, "exclusiveMaximum") is { } exMax && number >= exMax) return $"{path}: {number} >= {exMax}";
        return null;
    }

    private static int? Count(JsonElement schema, string keyword) => schema.TryGetProperty(keyword, out var v) ? v.GetInt32() : null;

    private static decimal? Bound(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;

    private JsonElement Resolve(string reference)
    {
        var current = root;
        foreach (var token in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current.GetProperty(token);
        }

        return current;
    }
}
