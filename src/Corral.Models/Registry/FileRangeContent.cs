using System.Net;

namespace Corral.Models.Registry;

/// <summary>Upload content: a byte range of a file, reporting bytes sent so far.</summary>
internal sealed class FileRangeContent : HttpContent
{
    private readonly string _path;
    private readonly long _offset;
    private readonly long _length;
    private readonly Action<long> _progress;

    public FileRangeContent(string path, long offset, long length, Action<long> progress)
    {
        _path = path;
        _offset = offset;
        _length = length;
        _progress = progress;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        Headers.ContentLength = length;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        file.Position = _offset;
        var buffer = new byte[1 << 20];
        long sent = 0;
        while (sent < _length)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, _length - sent)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"blob file '{_path}' is shorter than expected");
            }

            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            sent += read;
            _progress(sent);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
