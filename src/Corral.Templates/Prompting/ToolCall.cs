using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>A tool call an assistant message made (template fields: .ID, .Function).</summary>
public sealed class ToolCall : ITemplateObject
{
    public string Id { get; init; } = "";

    public required ToolCallFunction Function { get; init; }

    public string TypeName => "template.templateToolCall";

    public bool TryGetField(string name, out TemplateValue value)
    {
        switch (name)
        {
            case "ID": value = Id; return true;
            case "Function": value = TemplateValue.FromObject(Function); return true;
            default: value = default; return false;
        }
    }

    public void WriteJson(GoJsonWriter writer)
    {
        var first = true;
        writer.WriteRaw("{");
        writer.WritePropertyName("ID", ref first);
        writer.WriteString(Id);
        writer.WritePropertyName("Function", ref first);
        Function.WriteJson(writer);
        writer.WriteRaw("}");
    }

    public void Format(StringBuilder output) => GoStructs.FormatFields(output, false, Id, TemplateValue.FromObject(Function));
}
