using System.Text.Json;
using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>
/// A tool call's arguments: an ordered map for the wire, a Go map for templates (ranged and JSON-encoded in sorted
/// key order, printed as JSON as Ollama's templateArgs does).
/// </summary>
public sealed class ToolCallArguments : ITemplateMap, ITemplateStringer
{
    private readonly TemplateMap _map = new();

    public static ToolCallArguments Empty { get; } = new();

    public int Count => _map.Count;

    /// <summary>Keys in the order they were given (the wire order).</summary>
    public IReadOnlyList<string> Keys => _map.InsertionOrder;

    public IReadOnlyList<string> SortedKeys => _map.SortedKeys;

    public TemplateValue this[string key]
    {
        get => _map[key];
        init => _map[key] = value;
    }

    public void Add(string key, TemplateValue value) => _map[key] = value;

    public bool TryGetValue(string key, out TemplateValue value) => _map.TryGetValue(key, out value);

    /// <summary>Builds arguments from a JSON object (numbers become float64, as in Go).</summary>
    public static ToolCallArguments FromJson(JsonElement element)
    {
        var arguments = new ToolCallArguments();
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                arguments.Add(property.Name, TemplateValue.FromJson(property.Value));
            }
        }
        return arguments;
    }

    public string ToGoString() => GoJsonWriter.Serialize(TemplateValue.FromMap(this));
}
