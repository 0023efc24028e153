using System.Text;

namespace Corral.Runner.Text;

/// <summary>
/// Holds generated text back while it could still be the start of a stop sequence,
/// so that a stop string split across tokens is detected and never emitted.
/// </summary>
public sealed class StopSequenceMatcher
{
    private readonly string[] _stops;
    private readonly StringBuilder _held = new();

    public StopSequenceMatcher(IReadOnlyList<string>? stops)
    {
        _stops = stops is null ? [] : stops.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }

    public bool HasStops => _stops.Length > 0;

    /// <summary>The stop sequence that ended the text (the earliest match), once <see cref="Push"/> returned true.</summary>
    public string? Matched { get; private set; }

    /// <summary>
    /// Adds <paramref name="text"/> and appends to <paramref name="emit"/> what is now safe to send.
    /// Returns true when a stop sequence was found; the text before it has been emitted and the
    /// rest dropped.
    /// </summary>
    public bool Push(ReadOnlySpan<char> text, StringBuilder emit)
    {
        if (_stops.Length == 0)
        {
            emit.Append(text);
            return false;
        }

        _held.Append(text);
        var held = _held.ToString();

        var first = -1;
        foreach (var stop in _stops)
        {
            var at = held.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
                Matched = stop;
            }
        }

        if (first >= 0)
        {
            emit.Append(held.AsSpan(0, first));
            _held.Clear();
            return true;
        }

        var keep = LongestSuffixThatStartsAStop(held);
        emit.Append(held.AsSpan(0, held.Length - keep));
        _held.Remove(0, held.Length - keep);
        return false;
    }

    /// <summary>Releases held text when generation ends without a stop.</summary>
    public void Flush(StringBuilder emit)
    {
        emit.Append(_held);
        _held.Clear();
    }

    private int LongestSuffixThatStartsAStop(string held)
    {
        var best = 0;
        foreach (var stop in _stops)
        {
            var max = Math.Min(stop.Length - 1, held.Length);
            for (var len = max; len > best; len--)
            {
                if (held.AsSpan(held.Length - len).SequenceEqual(stop.AsSpan(0, len)))
                {
                    best = len;
                    break;
                }
            }
        }

        return best;
    }
}
