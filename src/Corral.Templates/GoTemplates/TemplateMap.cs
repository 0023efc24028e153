namespace Corral.Templates.GoTemplates;

/// <summary>
/// A string-keyed map (a Go map[string]any). Keeps insertion order for callers that need it, and exposes the
/// sorted key order that Go's range and encoding/json use.
/// </summary>
public sealed class TemplateMap : ITemplateMap
{
    private readonly Dictionary<string, TemplateValue> _values = new(StringComparer.Ordinal);
    private readonly List<string> _insertionOrder = [];
    private string[]? _sorted;

    public int Count => _values.Count;

    public IReadOnlyList<string> InsertionOrder => _insertionOrder;

    public IReadOnlyList<string> SortedKeys
    {
        get
        {
            if (_sorted is null)
            {
                var keys = _insertionOrder.ToArray();
                Array.Sort(keys, StringComparer.Ordinal);
                _sorted = keys;
            }
            return _sorted;
        }
    }

    public TemplateValue this[string key]
    {
        get => _values.TryGetValue(key, out var value) ? value : TemplateValue.Nil;
        set
        {
            if (!_values.ContainsKey(key))
            {
                _insertionOrder.Add(key);
                _sorted = null;
            }
            _values[key] = value;
        }
    }

    public bool TryGetValue(string key, out TemplateValue value) => _values.TryGetValue(key, out value);
}
