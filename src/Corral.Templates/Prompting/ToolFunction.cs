using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>A tool's function (template fields: .Name, .Description, .Parameters).</summary>
public sealed class ToolFunction : ITemplateObject
{
    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public ToolParameters Parameters { get; init; } = new();

    public string TypeName => "template.templateToolFunction";

    public bool TryGetField(string name, out TemplateValue value)
    {
        switch (name)
        {
            case "Name": value = Name; return true;
            case "Description": value = Description; return true;
            case "Parameters": value = TemplateValue.FromObject(Parameters); return true;
            default: value = default; return false;
        }
    }

    public void WriteJson(GoJsonWriter writer)
    {
        var first = true;
        writer.WriteRaw("{");
        writer.WritePropertyName("name", ref first);
        writer.WriteString(Name);
        writer.WritePropertyName("description", ref first);
        writer.WriteString(Description);
        writer.WritePropertyName("parameters", ref first);
        Parameters.WriteJson(writer);
        writer.WriteRaw("}");
    }

    /// <summary>Ollama's api types print as their JSON (they implement String() that way).</summary>
    public void Format(StringBuilder output) => WriteJson(new GoJsonWriter(output));
}
