namespace Corral.Models.Gguf;

/// <summary>
/// Write-only view handed to a tensor's data callback: forwards to the file and enforces the exact byte
/// count, because a short or long write would shift every later tensor and corrupt the file silently.
/// </summary>
internal sealed class TensorDataStream(Stream inner, string tensorName, long expectedBytes) : Stream
{
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length > expectedBytes - _written)
        {
            throw new InvalidOperationException($"Tensor '{tensorName}' data is longer than its {expectedBytes} bytes.");
        }

        inner.Write(buffer);
        _written += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public void EnsureComplete()
    {
        if (_written != expectedBytes)
        {
            throw new InvalidOperationException($"Tensor '{tensorName}' got {_written} bytes of data, expected {expectedBytes}.");
        }
    }

    public override void Flush()
    {
        // The writer flushes the underlying file once at the end.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
