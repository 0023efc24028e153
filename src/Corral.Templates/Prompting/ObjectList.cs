using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>A read-only list of data-model objects exposed to templates without copying.</summary>
internal sealed class ObjectList<T>(IReadOnlyList<T> items) : ITemplateList where T : ITemplateObject
{
    public int Count => items.Count;

    public TemplateValue this[int index] => TemplateValue.FromObject(items[index]);
}
