using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>
/// One parameter's JSON schema (template fields: .AnyOf, .Type, .Items, .Description, .Enum, .Properties,
/// .Required). .Type prints as the single type name, or as [a b] for a type list, like Ollama's PropertyType.
/// </summary>
public sealed class ToolProperty : ITemplateObject
{
    private static readonly IReadOnlyList<string> NoTypes = [];

    public IReadOnlyList<ToolProperty>? AnyOf { get; init; }

    public IReadOnlyList<string> Type { get; init; } = NoTypes;

    public TemplateValue Items { get; init; }

    public string Description { get; init; } = "";

    public IReadOnlyList<TemplateValue>? Enum { get; init; }

    public ToolPropertyMap? Properties { get; init; }

    public IReadOnlyList<string>? Required { get; init; }

    public string TypeName => "api.ToolProperty";

    /// <summary>Ollama's ToTypeScriptType: the TypeScript spelling of the schema type.</summary>
    public string ToTypeScriptType()
    {
        if (AnyOf is { Count: > 0 })
        {
            return string.Join(" | ", AnyOf.Select(a => a.ToTypeScriptType()));
        }
        return Type.Count == 0 ? "any" : string.Join(" | ", Type.Select(MapTypeScriptType));
    }

    private static string MapTypeScriptType(string jsonType) => jsonType switch
    {
        "string" => "string",
        "number" or "integer" => "number",
        "boolean" => "boolean",
        "array" => "any[]",
        "object" => "Record<string, any>",
        "null" => "null",
        _ => "any",
    };

    private TemplateValue TypeValue => TemplateValue.FromList(new PropertyTypeList(Type));

    public bool TryGetField(string name, out TemplateValue value)
    {
        switch (name)
        {
            case "AnyOf": value = AnyOf is null ? TemplateValue.Nil : TemplateValue.FromList(new ObjectList<ToolProperty>(AnyOf)); return true;
            case "Type": value = TypeValue; return true;
            case "Items": value = Items; return true;
            case "Description": value = Description; return true;
            case "Enum": value = Enum is null ? TemplateValue.Nil : TemplateValue.FromList(new TemplateList(Enum)); return true;
            case "Properties": value = TemplateValue.FromMap(Properties); return true;
            case "Required": value = GoStructs.Strings(Required); return true;
            default: value = default; return false;
        }
    }

    public void WriteJson(GoJsonWriter writer)
    {
        var first = true;
        writer.WriteRaw("{");
        if (AnyOf is { Count: > 0 })
        {
            writer.WritePropertyName("anyOf", ref first);
            writer.WriteValue(TemplateValue.FromList(new ObjectList<ToolProperty>(AnyOf)));
        }
        if (Type.Count > 0)
        {
            writer.WritePropertyName("type", ref first);
            if (Type.Count == 1)
            {
                writer.WriteString(Type[0]);
            }
            else
            {
                writer.WriteValue(GoStructs.Strings(Type));
            }
        }
        if (!Items.IsNil)
        {
            writer.WritePropertyName("items", ref first);
            writer.WriteValue(Items);
        }
        if (Description.Length > 0)
        {
            writer.WritePropertyName("description", ref first);
            writer.WriteString(Description);
        }
        if (Enum is { Count: > 0 })
        {
            writer.WritePropertyName("enum", ref first);
            writer.WriteValue(TemplateValue.FromList(new TemplateList(Enum)));
        }
        if (Properties is not null)
        {
            writer.WritePropertyName("properties", ref first);
            writer.WriteValue(TemplateValue.FromMap(Properties));
        }
        if (Required is { Count: > 0 })
        {
            writer.WritePropertyName("required", ref first);
            writer.WriteValue(GoStructs.Strings(Required));
        }
        writer.WriteRaw("}");
    }

    public void Format(StringBuilder output)
    {
        TryGetField("AnyOf", out var anyOf);
        TryGetField("Enum", out var enumValues);
        GoStructs.FormatFields(output, false, anyOf.IsNil ? "[]" : anyOf, TypeValue, Items, Description,
            enumValues.IsNil ? "[]" : enumValues, TemplateValue.FromMap(Properties), GoStructs.Strings(Required) is { IsNil: false } r ? r : "[]");
    }

    /// <summary>Ollama's PropertyType: prints "string" for one type, "[string null]" for several.</summary>
    private sealed class PropertyTypeList(IReadOnlyList<string> types) : ITemplateList, ITemplateStringer
    {
        public int Count => types.Count;

        public TemplateValue this[int index] => types[index];

        public string ToGoString() => types.Count switch
        {
            0 => "",
            1 => types[0],
            _ => "[" + string.Join(" ", types) + "]",
        };
    }
}
