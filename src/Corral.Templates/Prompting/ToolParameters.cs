using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>A tool function's parameter schema (template fields: .Type, .Defs, .Items, .Required, .Properties).</summary>
public sealed class ToolParameters : ITemplateObject
{
    public string Type { get; init; } = "object";

    public TemplateValue Defs { get; init; }

    public TemplateValue Items { get; init; }

    public IReadOnlyList<string>? Required { get; init; }

    /// <summary>The properties; templates range them in sorted order and print them as JSON.</summary>
    public ToolPropertyMap? Properties { get; init; }

    public string TypeName => "template.templateToolFunctionParameters";

    public bool TryGetField(string name, out TemplateValue value)
    {
        switch (name)
        {
            case "Type": value = Type; return true;
            case "Defs": value = Defs; return true;
            case "Items": value = Items; return true;
            case "Required": value = GoStructs.Strings(Required); return true;
            case "Properties": value = TemplateValue.FromMap(Properties); return true;
            default: value = default; return false;
        }
    }

    public void WriteJson(GoJsonWriter writer)
    {
        var first = true;
        writer.WriteRaw("{");
        writer.WritePropertyName("type", ref first);
        writer.WriteString(Type);
        if (!Defs.IsNil)
        {
            writer.WritePropertyName("$defs", ref first);
            writer.WriteValue(Defs);
        }
        if (!Items.IsNil)
        {
            writer.WritePropertyName("items", ref first);
            writer.WriteValue(Items);
        }
        if (Required is { Count: > 0 })
        {
            writer.WritePropertyName("required", ref first);
            writer.WriteValue(GoStructs.Strings(Required));
        }
        writer.WritePropertyName("properties", ref first);
        writer.WriteValue(TemplateValue.FromMap(Properties));
        writer.WriteRaw("}");
    }

    public void Format(StringBuilder output) =>
        GoStructs.FormatFields(output, false, Type, Defs, Items, GoStructs.Strings(Required), TemplateValue.FromMap(Properties));
}
