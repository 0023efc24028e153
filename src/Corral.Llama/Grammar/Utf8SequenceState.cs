namespace Corral.Llama.Grammar;

/// <summary>
/// Where a byte stream stands in strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
/// U+10FFFF): how many continuation bytes the current character still needs and the range the next one
/// must fall in (narrower than 0x80-0xBF right after E0, ED, F0 and F4). A three-byte value, so a sampler
/// keeps one per sequence and can test a token's bytes without committing them.
/// </summary>
public readonly struct Utf8SequenceState : IEquatable<Utf8SequenceState>
{
    private const byte ContinuationLow = 0x80;
    private const byte ContinuationHigh = 0xBF;

    private readonly byte _pending;
    private readonly byte _low;
    private readonly byte _high;

    private Utf8SequenceState(int pending, byte low, byte high)
    {
        _pending = (byte)pending;
        _low = low;
        _high = high;
    }

    /// <summary>At a character boundary: the state of an empty stream.</summary>
    public static Utf8SequenceState Start => default;

    /// <summary>Continuation bytes the current character still needs (0-3).</summary>
    public int PendingContinuations => _pending;

    /// <summary>True when every character so far is complete (a string or document may end here).</summary>
    public bool IsAtCharacterBoundary => _pending == 0;

    /// <summary>Whether <paramref name="value"/> may come next.</summary>
    public bool Accepts(byte value) => TryAdvance(value, out _);

    /// <summary>The state after <paramref name="value"/>; false (and <see cref="Start"/>) when it cannot come next.</summary>
    public bool TryAdvance(byte value, out Utf8SequenceState next)
    {
        if (_pending > 0)
        {
            var ok = value >= _low && value <= _high;
            next = ok ? AfterContinuations(1) : Start;
            return ok;
        }

        if (value < 0x80)
        {
            next = Start;
            return true;
        }

        // The first continuation byte's range rules out overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
        next = value switch
        {
            >= 0xC2 and <= 0xDF => new(1, ContinuationLow, ContinuationHigh),
            0xE0 => new(2, 0xA0, ContinuationHigh),
            0xED => new(2, ContinuationLow, 0x9F),
            >= 0xE1 and <= 0xEF => new(2, ContinuationLow, ContinuationHigh),
            0xF0 => new(3, 0x90, ContinuationHigh),
            >= 0xF1 and <= 0xF3 => new(3, ContinuationLow, ContinuationHigh),
            0xF4 => new(3, ContinuationLow, 0x8F),
            _ => Start,
        };
        return next._pending > 0;
    }

    /// <summary>The state after all of <paramref name="bytes"/>; false (and <see cref="Start"/>) at the first byte that cannot come next.</summary>
    public bool TryAdvance(ReadOnlySpan<byte> bytes, out Utf8SequenceState next)
    {
        var state = this;
        foreach (var value in bytes)
        {
            if (!state.TryAdvance(value, out state))
            {
                next = Start;
                return false;
            }
        }

        next = state;
        return true;
    }

    /// <summary>
    /// The state after <paramref name="count"/> more continuation bytes (each already known to be in range);
    /// the caller guarantees <paramref name="count"/> ≤ <see cref="PendingContinuations"/>.
    /// </summary>
    internal Utf8SequenceState AfterContinuations(int count)
    {
        var left = _pending - count;
        return left <= 0 ? Start : new(left, ContinuationLow, ContinuationHigh);
    }

    public bool Equals(Utf8SequenceState other) => _pending == other._pending && _low == other._low && _high == other._high;

    public override bool Equals(object? obj) => obj is Utf8SequenceState other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_pending, _low, _high);

    public static bool operator ==(Utf8SequenceState left, Utf8SequenceState right) => left.Equals(right);

    public static bool operator !=(Utf8SequenceState left, Utf8SequenceState right) => !left.Equals(right);

    public override string ToString() => _pending == 0 ? "boundary" : $"{_pending} pending, next 0x{_low:X2}-0x{_high:X2}";
}
