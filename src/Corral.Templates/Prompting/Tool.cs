using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>A tool offered to the model (template fields: .Type, .Items, .Function).</summary>
public sealed class Tool : ITemplateObject
{
    public string Type { get; init; } = "function";

    /// <summary>Free-form JSON schema "items", if any (Nil when absent).</summary>
    public TemplateValue Items { get; init; }

    public required ToolFunction Function { get; init; }

    public string TypeName => "template.templateTool";

    public bool TryGetField(string name, out TemplateValue value)
    {
        switch (name)
        {
            case "Type": value = Type; return true;
            case "Items": value = Items; return true;
            case "Function": value = TemplateValue.FromObject(Function); return true;
            default: value = default; return false;
        }
    }

    public void WriteJson(GoJsonWriter writer)
    {
        var first = true;
        writer.WriteRaw("{");
        writer.WritePropertyName("type", ref first);
        writer.WriteString(Type);
        if (!Items.IsNil)
        {
            writer.WritePropertyName("items", ref first);
            writer.WriteValue(Items);
        }
        writer.WritePropertyName("function", ref first);
        Function.WriteJson(writer);
        writer.WriteRaw("}");
    }

    /// <summary>Ollama's api types print as their JSON (they implement String() that way).</summary>
    public void Format(StringBuilder output) => WriteJson(new GoJsonWriter(output));
}
