using System.Text.Encodings.Web;
using System.Text.Json;

namespace Corral.Llama.Grammar;

/// <summary>
/// Walks a JSON schema and writes one GBNF rule per sub-schema. Each visit returns a complete rule
/// body; sub-schemas become named rules so bodies compose without precedence surprises.
/// </summary>
internal sealed partial class SchemaConverter
{
    private const int MaxDepth = 128;
    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JsonElement _root;
    private readonly GbnfRuleSet _rules = new();
    private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);
    private readonly SchemaMerger _merger;
    private int _depth;

    private SchemaConverter(JsonElement root)
    {
        _root = root;
        _merger = new SchemaMerger(this);
    }

    public static string Convert(JsonElement schema)
    {
        var converter = new SchemaConverter(schema);
        var root = converter._rules.Reserve("root");
        converter._rules.Define(root, converter.Visit(schema, root));
        return converter._rules.ToString();
    }

    /// <summary>
    /// Converts <paramref name="schema"/> into a rule of its own and lets <paramref name="frame"/> write the
    /// root around it (given that rule's name and the whitespace rule's name).
    /// </summary>
    public static string ConvertFramed(JsonElement schema, Func<string, string, string> frame)
    {
        var converter = new SchemaConverter(schema);
        var root = converter._rules.Reserve("root");
        var value = converter.Sub(schema, "value");
        converter._rules.Define(root, frame(value, converter.Ws));
        return converter._rules.ToString();
    }

    private string Ws => JsonPrimitives.Ws(_rules);

    /// <summary>Adds a rule for a sub-schema and returns its name (one symbol).</summary>
    private string Sub(JsonElement schema, string name) => _rules.Add(name, Visit(schema, name));

    private string Visit(JsonElement schema, string name)
    {
        if (++_depth > MaxDepth)
        {
            throw new JsonSchemaNotSupportedException("$ref", "The schema nests too deeply (or allOf refers to itself).");
        }

        try
        {
            return VisitCore(schema, name);
        }
        finally
        {
            _depth--;
        }
    }

    private string VisitCore(JsonElement schema, string name)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return JsonPrimitives.Value(_rules);
            case JsonValueKind.False:
                throw new JsonSchemaNotSupportedException("false", "A 'false' schema allows no value.");
            case JsonValueKind.Object:
                break;
            default:
                throw new JsonSchemaNotSupportedException("schema", $"A schema must be an object or a boolean, not {schema.ValueKind}.");
        }

        SchemaKeywords.ThrowIfUnsupported(schema);
        if (schema.TryGetProperty("$ref", out var reference))
        {
            if (!SchemaKeywords.HasConstraintsBesides(schema, "$ref"))
            {
                return RefRule(RefString(reference));
            }

            return Visit(_merger.Merge([schema]), name);
        }

        if (schema.TryGetProperty("allOf", out _))
        {
            return Visit(_merger.Merge([schema]), name);
        }

        var hasAnyOf = schema.TryGetProperty("anyOf", out var anyOf);
        var hasOneOf = schema.TryGetProperty("oneOf", out var oneOf);
        if (hasAnyOf && hasOneOf)
        {
            throw new JsonSchemaNotSupportedException("oneOf", "A schema with both anyOf and oneOf is not supported.");
        }

        if (hasAnyOf || hasOneOf)
        {
            return VisitAlternatives(schema, hasAnyOf ? anyOf : oneOf, hasAnyOf ? "anyOf" : "oneOf", name);
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return Constant(constant);
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
            {
                throw new JsonSchemaNotSupportedException("enum", "'enum' must be a non-empty array.");
            }

            return string.Join(" | ", values.EnumerateArray().Select(Constant).Distinct());
        }

        var types = Types(schema);
        if (types.Count == 0)
        {
            return JsonPrimitives.Value(_rules);
        }

        if (types.Count == 1)
        {
            return VisitType(schema, types[0], name);
        }

        return string.Join(" | ", types.Select(t => _rules.Add($"{name}-{t}", VisitType(schema, t, $"{name}-{t}"))));
    }

    /// <summary>anyOf/oneOf; keywords beside it apply to every alternative (merged in as allOf).</summary>
    private string VisitAlternatives(JsonElement schema, JsonElement alternatives, string keyword, string name)
    {
        if (alternatives.ValueKind != JsonValueKind.Array || alternatives.GetArrayLength() == 0)
        {
            throw new JsonSchemaNotSupportedException(keyword, $"'{keyword}' must be a non-empty array.");
        }

        var shared = SchemaKeywords.HasConstraintsBesides(schema, keyword) ? SchemaMerger.Without(schema, keyword) : (JsonElement?)null;
        var rules = new List<string>();
        var i = 0;
        foreach (var alternative in alternatives.EnumerateArray())
        {
            var branch = shared is { } s ? _merger.Merge([s, alternative]) : alternative;
            rules.Add(Sub(branch, $"{name}-{i++}"));
        }

        return string.Join(" | ", rules.Distinct());
    }

    private string VisitType(JsonElement schema, string type, string name) => type switch
    {
        "object" => VisitObject(schema, name),
        "array" => VisitArray(schema, name),
        "string" => VisitString(schema, name),
        "integer" => VisitInteger(schema),
        "number" => VisitNumber(schema),
        "boolean" => JsonPrimitives.Boolean(_rules),
        "null" => JsonPrimitives.Null(_rules),
        _ => throw new JsonSchemaNotSupportedException("type", $"Unknown JSON schema type '{type}'."),
    };

    /// <summary>The schema's types: from "type", else inferred from type-specific keywords (none: any value).</summary>
    private static List<string> Types(JsonElement schema)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            var list = type.ValueKind switch
            {
                JsonValueKind.String => [type.GetString()!],
                JsonValueKind.Array => type.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String
                    ? t.GetString()!
                    : throw new JsonSchemaNotSupportedException("type", "'type' entries must be strings.")).Distinct().ToList(),
                _ => throw new JsonSchemaNotSupportedException("type", "'type' must be a string or an array of strings."),
            };
            if (list.Count == 0)
            {
                throw new JsonSchemaNotSupportedException("type", "'type' must not be empty.");
            }

            return list;
        }

        var inferred = new List<string>();
        if (HasAny(schema, "properties", "additionalProperties", "required")) inferred.Add("object");
        if (HasAny(schema, "items", "prefixItems", "minItems", "maxItems")) inferred.Add("array");
        if (HasAny(schema, "minLength", "maxLength", "pattern", "format")) inferred.Add("string");
        if (HasAny(schema, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) inferred.Add("number");
        return inferred;
    }

    private static bool HasAny(JsonElement schema, params string[] keywords) =>
        keywords.Any(k => schema.TryGetProperty(k, out _));

    private string VisitString(JsonElement schema, string name)
    {
        var minLength = SchemaKeywords.GetCount(schema, "minLength");
        var maxLength = SchemaKeywords.GetCount(schema, "maxLength");
        var hasLength = minLength is not null || maxLength is not null;
        if (schema.TryGetProperty("pattern", out var pattern))
        {
            if (pattern.ValueKind != JsonValueKind.String)
            {
                throw new JsonSchemaNotSupportedException("pattern", "'pattern' must be a string.");
            }

            if (hasLength)
            {
                throw new JsonSchemaNotSupportedException(minLength is null ? "maxLength" : "minLength",
                    "minLength/maxLength together with pattern are not supported; put the length in the pattern.");
            }

            return $"\"\\\"\" {RegexGrammar.Convert(pattern.GetString()!, _rules, name)} \"\\\"\"";
        }

        if (schema.TryGetProperty("format", out var formatElement) && formatElement.ValueKind != JsonValueKind.String)
        {
            throw new JsonSchemaNotSupportedException("format", "'format' must be a string.");
        }

        if (formatElement.ValueKind == JsonValueKind.String && formatElement.GetString() is { } format
            && StringFormats.IsSupported(format))
        {
            if (hasLength)
            {
                throw new JsonSchemaNotSupportedException(minLength is null ? "maxLength" : "minLength",
                    $"minLength/maxLength together with format '{format}' are not supported.");
            }

            return $"\"\\\"\" {StringFormats.Content(_rules, format)} \"\\\"\"";
        }

        // Other formats (uri, hostname, ...) are annotations in JSON Schema 2020-12: a plain string.
        if (!hasLength)
        {
            return JsonPrimitives.String(_rules);
        }

        var min = minLength ?? 0;
        if (maxLength < min)
        {
            throw new JsonSchemaNotSupportedException("maxLength", "maxLength is below minLength: no string fits.");
        }

        var chars = GbnfRepetition.Repeat(_rules, JsonPrimitives.Char(_rules), min, maxLength);
        return $"\"\\\"\" {chars} \"\\\"\"";
    }

    private string VisitInteger(JsonElement schema)
    {
        var (min, minExclusive, max, maxExclusive) = Bounds(schema);
        if (min is null && max is null)
        {
            return JsonPrimitives.Integer(_rules);
        }

        long? low = min is { } lo ? ToLong(minExclusive ? decimal.Floor(lo) + 1 : decimal.Ceiling(lo)) : null;
        long? high = max is { } hi ? ToLong(maxExclusive ? decimal.Ceiling(hi) - 1 : decimal.Floor(hi)) : null;
        return IntegerRangeGrammar.Build(low, high);
    }

    private string VisitNumber(JsonElement schema)
    {
        var (min, minExclusive, max, maxExclusive) = Bounds(schema);
        if (min is null && max is null)
        {
            return JsonPrimitives.Number(_rules);
        }

        return NumberRangeGrammar.Build(_rules, min, minExclusive, max, maxExclusive);
    }

    /// <summary>The tightest lower and upper bounds from minimum/exclusiveMinimum/maximum/exclusiveMaximum.</summary>
    private static (decimal? Min, bool MinExclusive, decimal? Max, bool MaxExclusive) Bounds(JsonElement schema)
    {
        decimal? min = SchemaKeywords.GetBound(schema, "minimum");
        var minExclusive = SchemaKeywords.IsDraft4Exclusive(schema, "exclusiveMinimum");
        if (SchemaKeywords.GetBound(schema, "exclusiveMinimum") is { } exMin && (min is null || exMin >= min))
        {
            min = exMin;
            minExclusive = true;
        }

        decimal? max = SchemaKeywords.GetBound(schema, "maximum");
        var maxExclusive = SchemaKeywords.IsDraft4Exclusive(schema, "exclusiveMaximum");
        if (SchemaKeywords.GetBound(schema, "exclusiveMaximum") is { } exMax && (max is null || exMax <= max))
        {
            max = exMax;
            maxExclusive = true;
        }

        return (min, minExclusive, max, maxExclusive);
    }

    private static long ToLong(decimal value) =>
        value >= IntegerRangeGrammar.Unbounded ? IntegerRangeGrammar.Unbounded
        : value <= -IntegerRangeGrammar.Unbounded ? -IntegerRangeGrammar.Unbounded
        : (long)value;

    /// <summary>A literal for one JSON value, written compactly.</summary>
    private static string Constant(JsonElement value) => Gbnf.Literal(Compact(value));

    internal static string Compact(JsonElement value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static string RefString(JsonElement reference) =>
        reference.ValueKind == JsonValueKind.String ? reference.GetString()!
        : throw new JsonSchemaNotSupportedException("$ref", "'$ref' must be a string.");

    /// <summary>The rule for a $ref; recursive references reuse the name reserved before visiting.</summary>
    private string RefRule(string reference)
    {
        if (_refRules.TryGetValue(reference, out var existing))
        {
            return existing;
        }

        var target = Resolve(reference);
        var name = _rules.Reserve("ref-" + reference.TrimStart('#', '/'));
        _refRules[reference] = name;
        _rules.Define(name, Visit(target, name));
        return name;
    }

    /// <summary>Resolves a local reference (<c>#</c> or a JSON pointer <c>#/...</c>) within the root schema.</summary>
    internal JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith('#'))
        {
            throw new JsonSchemaNotSupportedException("$ref", $"Only local references ('#/...') are supported, not '{reference}'.");
        }

        var pointer = Uri.UnescapeDataString(reference[1..]);
        var current = _root;
        if (pointer.Length == 0)
        {
            return current;
        }

        if (!pointer.StartsWith('/'))
        {
            throw new JsonSchemaNotSupportedException("$ref", $"Anchor references like '{reference}' are not supported.");
        }

        foreach (var rawToken in pointer[1..].Split('/'))
        {
            var token = rawToken.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            var found = current.ValueKind switch
            {
                JsonValueKind.Object when current.TryGetProperty(token, out var child) => child,
                JsonValueKind.Array when int.TryParse(token, out var index) && index >= 0 && index < current.GetArrayLength() => current[index],
                _ => (JsonElement?)null,
            };
            current = found ?? throw new JsonSchemaNotSupportedException("$ref", $"The reference '{reference}' does not resolve.");
        }

        return current;
    }
}
