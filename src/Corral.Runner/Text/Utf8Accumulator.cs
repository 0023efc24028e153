using System.Text;

namespace Corral.Runner.Text;

/// <summary>
/// Turns a stream of token pieces (raw bytes) into text without ever splitting a
/// character: bytes of an incomplete UTF-8 sequence wait for the next piece.
/// A byte sequence that can never become valid is replaced with U+FFFD, as a
/// decoder would.
/// </summary>
public sealed class Utf8Accumulator
{
    private readonly byte[] _pending = new byte[4];
    private int _pendingCount;
    private byte[] _scratch = new byte[64];
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();

    /// <summary>Appends the complete characters of <paramref name="piece"/> (plus any held bytes) to <paramref name="output"/>.</summary>
    public void Append(ReadOnlySpan<byte> piece, StringBuilder output)
    {
        if (piece.IsEmpty)
        {
            return;
        }

        if (_pendingCount > 0)
        {
            // Join the held bytes with the new piece in a reused buffer (no per-token allocation).
            var total = _pendingCount + piece.Length;
            if (_scratch.Length < total)
            {
                _scratch = new byte[Math.Max(total, _scratch.Length * 2)];
            }

            _pending.AsSpan(0, _pendingCount).CopyTo(_scratch);
            piece.CopyTo(_scratch.AsSpan(_pendingCount));
            piece = _scratch.AsSpan(0, total);
            _pendingCount = 0;
        }

        var complete = CompletePrefixLength(piece);
        if (complete > 0)
        {
            Span<char> chars = complete <= 512 ? stackalloc char[512] : new char[complete];
            var n = _decoder.GetChars(piece[..complete], chars, flush: true);
            output.Append(chars[..n]);
        }

        var rest = piece[complete..];
        rest.CopyTo(_pending);
        _pendingCount = rest.Length;
    }

    /// <summary>Emits whatever is held (as U+FFFD when incomplete); used when the stream ends.</summary>
    public void Flush(StringBuilder output)
    {
        if (_pendingCount == 0)
        {
            return;
        }

        Span<char> chars = stackalloc char[8];
        var n = _decoder.GetChars(_pending.AsSpan(0, _pendingCount), chars, flush: true);
        output.Append(chars[..n]);
        _pendingCount = 0;
    }

    public void Reset()
    {
        _pendingCount = 0;
        _decoder.Reset();
    }

    /// <summary>
    /// Length of the prefix that ends on a character boundary: only a trailing,
    /// still-completable multi-byte sequence (at most 3 bytes) is held back.
    /// </summary>
    internal static int CompletePrefixLength(ReadOnlySpan<byte> bytes)
    {
        var n = bytes.Length;
        for (var back = 1; back <= 3 && back <= n; back++)
        {
            var b = bytes[n - back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte: keep looking for the lead byte
            }

            var needed = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 1;
            return needed > back ? n - back : n;
        }

        return n;
    }
}
