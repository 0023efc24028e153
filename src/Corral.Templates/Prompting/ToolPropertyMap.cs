using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>
/// Property name → schema. At the top of a tool's parameters Ollama hands templates a Go map (sorted range and
/// JSON, printed as JSON); nested inside a property it is an ordered map, so JSON keeps insertion order there.
/// </summary>
public sealed class ToolPropertyMap : ITemplateMap, ITemplateStringer
{
    private readonly TemplateMap _map = new();
    private readonly Dictionary<string, ToolProperty> _properties = new(StringComparer.Ordinal);

    /// <param name="sortedForTemplates">True for a tool's top-level properties (a Go map), false for nested ones.</param>
    public ToolPropertyMap(bool sortedForTemplates = true) => SortedForTemplates = sortedForTemplates;

    public bool SortedForTemplates { get; }

    public int Count => _map.Count;

    public IReadOnlyList<string> Keys => _map.InsertionOrder;

    /// <summary>The order templates and JSON see: sorted for a Go map, insertion order for a nested ordered map.</summary>
    public IReadOnlyList<string> SortedKeys => SortedForTemplates ? _map.SortedKeys : _map.InsertionOrder;

    public ToolProperty this[string name]
    {
        get => _properties[name];
        set => Add(name, value);
    }

    public void Add(string name, ToolProperty property)
    {
        _properties[name] = property;
        _map[name] = TemplateValue.FromObject(property);
    }

    public bool TryGetValue(string key, out TemplateValue value) => _map.TryGetValue(key, out value);

    public string ToGoString() => GoJsonWriter.Serialize(TemplateValue.FromMap(this));
}
