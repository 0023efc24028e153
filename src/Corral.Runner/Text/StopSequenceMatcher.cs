using System.Text;

namespace Corral.Runner.Text;

/// <summary>
/// Holds generated text back while it could still be the start of a stop sequence,
/// so that a stop string split across tokens is detected and never emitted.
/// </summary>
public sealed class StopSequenceMatcher
{
    private readonly string[] _stops;

    // The held text: never longer than the longest stop plus one piece, so it is searched in place, without a
    // string per token.
    private char[] _held = [];
    private int _heldLength;

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

        Append(text);
        var held = _held.AsSpan(0, _heldLength);

        var first = -1;
        foreach (var stop in _stops)
        {
            var at = held.IndexOf(stop.AsSpan(), StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
                Matched = stop;
            }
        }

        if (first >= 0)
        {
            emit.Append(held[..first]);
            _heldLength = 0;
            return true;
        }

        var safe = held.Length - LongestSuffixThatStartsAStop(held);
        emit.Append(held[..safe]);
        held[safe..].CopyTo(_held);
        _heldLength -= safe;
        return false;
    }

    /// <summary>Releases held text when generation ends without a stop.</summary>
    public void Flush(StringBuilder emit)
    {
        emit.Append(_held.AsSpan(0, _heldLength));
        _heldLength = 0;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_heldLength + text.Length > _held.Length)
        {
            Array.Resize(ref _held, Math.Max(_heldLength + text.Length, Math.Max(64, _held.Length * 2)));
        }

        text.CopyTo(_held.AsSpan(_heldLength));
        _heldLength += text.Length;
    }

    private int LongestSuffixThatStartsAStop(ReadOnlySpan<char> held)
    {
        var best = 0;
        foreach (var stop in _stops)
        {
            var max = Math.Min(stop.Length - 1, held.Length);
            for (var len = max; len > best; len--)
            {
                if (held[^len..].SequenceEqual(stop.AsSpan(0, len)))
                {
                    best = len;
                    break;
                }
            }
        }

        return best;
    }
}
