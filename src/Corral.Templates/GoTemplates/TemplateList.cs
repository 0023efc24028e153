namespace Corral.Templates.GoTemplates;

/// <summary>A simple list of template values (a Go []any).</summary>
public sealed class TemplateList : ITemplateList
{
    private readonly IReadOnlyList<TemplateValue> _items;

    public TemplateList(IReadOnlyList<TemplateValue> items) => _items = items;

    public static TemplateList Of(params TemplateValue[] items) => new(items);

    public int Count => _items.Count;

    public TemplateValue this[int index] => _items[index];
}
