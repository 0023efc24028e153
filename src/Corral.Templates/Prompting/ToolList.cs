using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>The .Tools value: a list of tools that prints as its JSON, like Ollama's templateTools.</summary>
internal sealed class ToolList(IReadOnlyList<Tool> tools) : ITemplateList, ITemplateStringer
{
    public int Count => tools.Count;

    public TemplateValue this[int index] => TemplateValue.FromObject(tools[index]);

    public string ToGoString() => GoJsonWriter.Serialize(TemplateValue.FromList(this));
}
