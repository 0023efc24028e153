namespace Corral.Bench.Common;

/// <summary>
/// Splits a response stream (SSE or NDJSON) into lines without decoding them, so a bench's clients stay light on
/// the two cores they share with the servers they load (they look only at the few fields they need, in UTF-8).
/// </summary>
public sealed class StreamLineReader(Stream stream)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next line without its line break, or null at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = _buffer.AsMemory(_start, newline - _start);
                _start = newline + 1;
                return line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == _start)
                {
                    return null;
                }

                var rest = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return rest;
            }

            _end += read;
        }
    }
}
