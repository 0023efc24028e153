using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>The function part of a tool call (template fields: .Index, .Name, .Arguments).</summary>
public sealed class ToolCallFunction : ITemplateObject
{
    public int Index { get; init; }

    public required string Name { get; init; }

    public ToolCallArguments Arguments { get; init; } = ToolCallArguments.Empty;

    public string TypeName => "template.templateToolCallFunction";

    public bool TryGetField(string name, out TemplateValue value)
    {
        switch (name)
        {
            case "Index": value = Index; return true;
            case "Name": value = Name; return true;
            case "Arguments": value = TemplateValue.FromMap(Arguments); return true;
            default: value = default; return false;
        }
    }

    public void WriteJson(GoJsonWriter writer)
    {
        // The Go struct has no json tags, so field names are used as they are.
        var first = true;
        writer.WriteRaw("{");
        writer.WritePropertyName("Index", ref first);
        writer.WriteValue(Index);
        writer.WritePropertyName("Name", ref first);
        writer.WriteString(Name);
        writer.WritePropertyName("Arguments", ref first);
        writer.WriteValue(TemplateValue.FromMap(Arguments));
        writer.WriteRaw("}");
    }

    public void Format(StringBuilder output) =>
        GoStructs.FormatFields(output, false, Index, Name, TemplateValue.FromMap(Arguments));
}
