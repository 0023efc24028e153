using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Corral.Models.Gguf;

/// <summary>Metadata key/value pairs in file order, with lookup by key. Keys are unique.</summary>
public sealed class GgufMetadata : IReadOnlyList<KeyValuePair<string, GgufValue>>
{
    private readonly List<KeyValuePair<string, GgufValue>> _ordered = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public int Count => _ordered.Count;

    public KeyValuePair<string, GgufValue> this[int index] => _ordered[index];

    public GgufValue this[string key] =>
        TryGetValue(key, out GgufValue? value) ? value : throw new KeyNotFoundException($"GGUF metadata has no key '{key}'.");

    public IEnumerable<string> Keys => _ordered.Select(kv => kv.Key);

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out GgufValue value)
    {
        if (_index.TryGetValue(key, out int i))
        {
            value = _ordered[i].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Adds a new key; returns false (and changes nothing) when the key already exists.</summary>
    public bool TryAdd(string key, GgufValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_index.TryAdd(key, _ordered.Count))
        {
            return false;
        }

        _ordered.Add(new(key, value));
        return true;
    }

    /// <summary>Adds the key, or replaces its value in place (keeping its position).</summary>
    public void Set(string key, GgufValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_index.TryGetValue(key, out int i))
        {
            _ordered[i] = new(key, value);
        }
        else
        {
            TryAdd(key, value);
        }
    }

    public IEnumerator<KeyValuePair<string, GgufValue>> GetEnumerator() => _ordered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
