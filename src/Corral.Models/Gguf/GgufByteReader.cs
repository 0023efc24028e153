using System.Buffers.Binary;
using System.Text;

namespace Corral.Models.Gguf;

/// <summary>
/// Buffered little-endian reader over a seekable stream that knows how many bytes are left, so every
/// length read from the file is checked against what the file can still hold before anything is allocated.
/// </summary>
internal sealed class GgufByteReader
{
    private const int BufferSize = 1 << 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly long _origin;
    private readonly byte[] _buffer = new byte[BufferSize];
    private long _bufferStart; // offset (relative to _origin) of _buffer[0]
    private int _bufferPos;
    private int _bufferLen;

    public GgufByteReader(Stream stream)
    {
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("GGUF reading needs a readable, seekable stream.", nameof(stream));
        }

        _stream = stream;
        _origin = stream.Position;
        Length = stream.Length - _origin;
    }

    public long Length { get; }

    public long Position => _bufferStart + _bufferPos;

    public long Remaining => Length - Position;

    public void Need(ulong count, string what)
    {
        if (count > (ulong)Remaining)
        {
            throw new GgufFormatException($"file is truncated: {what} needs {count} bytes but only {Remaining} remain", Position);
        }
    }

    public byte ReadUInt8(string what) => Take(1, what)[0];
    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));
    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));
    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    /// <summary>Reads a GGUF string (u64 length + bytes). Strict mode rejects invalid UTF-8 instead of replacing it.</summary>
    public string ReadString(string what, bool strictUtf8) => ReadString(what, strictUtf8 ? StrictUtf8 : Encoding.UTF8);

    /// <summary>
    /// Reads a GGUF string as Latin-1, one char per byte: the exact bytes survive, so two strings that differ only in
    /// invalid UTF-8 (which <see cref="ReadString(string, bool)"/> would turn into the same U+FFFD) stay different.
    /// </summary>
    public string ReadRawString(string what) => ReadString(what, Encoding.Latin1);

    private string ReadString(string what, Encoding encoding)
    {
        long start = Position;
        ulong length = ReadUInt64(what); // "what" is only formatted into a message on failure
        if (length > (ulong)Remaining)
        {
            throw new GgufFormatException($"{what} claims {length} bytes but only {Remaining} remain in the file", start);
        }

        int n = (int)Math.Min(length, int.MaxValue);
        if ((ulong)n != length)
        {
            throw new GgufFormatException($"{what} of {length} bytes is too long", start);
        }

        try
        {
            if (n <= BufferSize)
            {
                return encoding.GetString(Take(n, what));
            }

            byte[] big = new byte[n];
            ReadExactly(big, what);
            return encoding.GetString(big);
        }
        catch (DecoderFallbackException)
        {
            throw new GgufFormatException($"{what} is not valid UTF-8", start);
        }
    }

    public void SkipString(string what)
    {
        long start = Position;
        ulong length = ReadUInt64(what); // "what" is only formatted into a message on failure
        if (length > (ulong)Remaining)
        {
            throw new GgufFormatException($"{what} claims {length} bytes but only {Remaining} remain in the file", start);
        }

        Skip((long)length);
    }

    public void Skip(long count)
    {
        Need((ulong)count, "skipped data");
        if (count <= _bufferLen - _bufferPos)
        {
            _bufferPos += (int)count;
            return;
        }

        long target = Position + count;
        _stream.Seek(_origin + target, SeekOrigin.Begin);
        _bufferStart = target;
        _bufferPos = 0;
        _bufferLen = 0;
    }

    /// <summary>Fills <paramref name="destination"/>; the caller has checked the length against <see cref="Remaining"/>.</summary>
    public void ReadExactly(Span<byte> destination, string what)
    {
        Need((ulong)destination.Length, what);
        int buffered = Math.Min(destination.Length, _bufferLen - _bufferPos);
        _buffer.AsSpan(_bufferPos, buffered).CopyTo(destination);
        _bufferPos += buffered;
        Span<byte> rest = destination[buffered..];
        if (rest.IsEmpty)
        {
            return;
        }

        // Large reads bypass the buffer; the stream is positioned at the end of the buffered bytes.
        try
        {
            _stream.ReadExactly(rest);
        }
        catch (EndOfStreamException)
        {
            throw new GgufFormatException("file ended early (stream shorter than its reported length)", Position);
        }

        _bufferStart = Position + rest.Length;
        _bufferPos = 0;
        _bufferLen = 0;
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (_bufferLen - _bufferPos < count)
        {
            Need((ulong)count, what);
            Refill(count);
        }

        var span = new ReadOnlySpan<byte>(_buffer, _bufferPos, count);
        _bufferPos += count;
        return span;
    }

    private void Refill(int atLeast)
    {
        int kept = _bufferLen - _bufferPos;
        Buffer.BlockCopy(_buffer, _bufferPos, _buffer, 0, kept);
        _bufferStart += _bufferPos;
        _bufferPos = 0;
        _bufferLen = kept;
        while (_bufferLen < atLeast)
        {
            int read = _stream.Read(_buffer, _bufferLen, _buffer.Length - _bufferLen);
            if (read == 0)
            {
                throw new GgufFormatException("file ended early (stream shorter than its reported length)", Position + _bufferLen);
            }

            _bufferLen += read;
        }
    }
}
