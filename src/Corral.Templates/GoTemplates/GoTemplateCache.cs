using System.Collections.Concurrent;

namespace Corral.Templates.GoTemplates;

/// <summary>
/// Parsed templates keyed by their text (and function set), so a model's TEMPLATE is parsed once. Thread-safe and
/// bounded: when full, the least recently used half is dropped.
/// </summary>
public sealed class GoTemplateCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, TemplateFunction>? _functions;
    private readonly object _trimLock = new();
    private long _clock;

    public GoTemplateCache(int capacity = 256, IReadOnlyDictionary<string, TemplateFunction>? functions = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _functions = functions;
    }

    public int Capacity { get; }

    public int Count => _entries.Count;

    /// <summary>The parsed template for <paramref name="text"/>; parse errors are not cached.</summary>
    /// <exception cref="TemplateParseException">The text is not a valid template.</exception>
    public GoTemplate GetOrParse(string text)
    {
        var now = Interlocked.Increment(ref _clock);
        if (_entries.TryGetValue(text, out var entry))
        {
            entry.LastUsed = now;
            return entry.Template;
        }
        var template = GoTemplate.Parse(text, "", _functions);
        _entries[text] = new Entry(template) { LastUsed = now };
        if (_entries.Count > Capacity)
        {
            Trim();
        }
        return template;
    }

    private void Trim()
    {
        lock (_trimLock)
        {
            if (_entries.Count <= Capacity)
            {
                return;
            }
            var victims = _entries.OrderBy(e => e.Value.LastUsed).Take(_entries.Count - Capacity / 2).Select(e => e.Key).ToList();
            foreach (var key in victims)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry(GoTemplate template)
    {
        public GoTemplate Template { get; } = template;

        public long LastUsed { get; set; }
    }
}
