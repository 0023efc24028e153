namespace Corral.Templates.GoTemplates;

/// <summary>A Go map with string keys: ranged (and JSON-encoded) in sorted key order, as Go does.</summary>
public interface ITemplateMap
{
    int Count { get; }

    /// <summary>Keys in ordinal order, the order Go's range and encoding/json use.</summary>
    IReadOnlyList<string> SortedKeys { get; }

    bool TryGetValue(string key, out TemplateValue value);
}
