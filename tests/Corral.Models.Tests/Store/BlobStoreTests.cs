using System.Text;
using Corral.Models.Names;
using Corral.Models.Store;

namespace Corral.Models.Tests.Store;

public sealed class BlobStoreTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly BlobStore _blobs;

    public BlobStoreTests() => _blobs = new BlobStore(Path.Combine(_temp.Root, "blobs"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WritesVerifiedBlobUnderItsDigestFileName()
    {
        var content = Encoding.UTF8.GetBytes("{{ .Prompt }}");
        var digest = BlobDigest.Compute(content);

        var info = await _blobs.WriteAsync(digest, new MemoryStream(content));

        Assert.Equal(content.Length, info.Size);
        Assert.True(_blobs.Exists(digest));
        Assert.Equal(Path.Combine(_blobs.Directory, "sha256-" + digest.Hex), _blobs.GetPath(digest));
        Assert.Equal(content, await File.ReadAllBytesAsync(_blobs.GetPath(digest)));
        Assert.Equal([digest], _blobs.ListDigests());
        Assert.Single(Directory.GetFiles(_blobs.Directory));
    }

    [Fact]
    public async Task MismatchThrowsAndLeavesNothingBehind()
    {
        var claimed = BlobDigest.Compute("something else"u8);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(
            () => _blobs.WriteAsync(claimed, new MemoryStream("actual"u8.ToArray())));

        Assert.Equal(claimed, error.Expected);
        Assert.Equal(BlobDigest.Compute("actual"u8), error.Actual);
        Assert.False(_blobs.Exists(claimed));
        Assert.False(_blobs.Exists(error.Actual));
        Assert.Empty(Directory.GetFiles(_blobs.Directory));
    }

    [Fact]
    public async Task CancelledWriteLeavesNoBlobAndNoTempFile()
    {
        using var cts = new CancellationTokenSource();
        var stream = new ThrowingStream(afterBytes: 3 << 20, onLimit: cts.Cancel);
        var digest = BlobDigest.Compute("never"u8);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _blobs.WriteAsync(digest, stream, cts.Token));

        Assert.Empty(_blobs.ListDigests());
        Assert.Empty(Directory.GetFiles(_blobs.Directory));
    }

    [Fact]
    public async Task FailingSourceLeavesNoBlobAndNoTempFile()
    {
        var stream = new ThrowingStream(afterBytes: 1 << 20, onLimit: () => throw new IOException("network gone"));

        await Assert.ThrowsAsync<IOException>(() => _blobs.AddAsync(stream));

        Assert.Empty(Directory.GetFiles(_blobs.Directory));
    }

    [Fact]
    public async Task ConcurrentWritersOfTheSameBlobProduceOneIntactFile()
    {
        var content = new byte[3 << 20];
        new Random(42).NextBytes(content);
        var digest = BlobDigest.Compute(content);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => _blobs.WriteAsync(digest, new MemoryStream(content)))));

        Assert.Equal(content, await File.ReadAllBytesAsync(_blobs.GetPath(digest)));
        Assert.Single(Directory.GetFiles(_blobs.Directory));
    }

    [Fact]
    public async Task AddFileComputesTheDigest()
    {
        var source = Path.Combine(_temp.Root, "model.gguf");
        var content = Encoding.ASCII.GetBytes("GGUF fake weights");
        await File.WriteAllBytesAsync(source, content);

        var info = await _blobs.AddFileAsync(source);

        Assert.Equal(BlobDigest.Compute(content), info.Digest);
        Assert.Equal(content.Length, info.Size);
        Assert.Equal(content.Length, _blobs.TryGetSize(info.Digest));
        Assert.True(File.Exists(source));
    }

    [Fact]
    public async Task ListIgnoresPartialAndJunkFilesAndDeleteRemoves()
    {
        var info = await _blobs.AddBytesAsync("x"u8.ToArray());
        await File.WriteAllTextAsync(Path.Combine(_blobs.Directory, info.Digest.FileName + "-partial"), "");
        await File.WriteAllTextAsync(Path.Combine(_blobs.Directory, info.Digest.FileName + "-partial-0"), "");
        await File.WriteAllTextAsync(Path.Combine(_blobs.Directory, "README"), "");
        await File.WriteAllTextAsync(Path.Combine(_blobs.Directory, "sha256-" + info.Digest.Hex.ToUpperInvariant()), "");

        Assert.Equal([info.Digest], _blobs.ListDigests());
        Assert.True(_blobs.Delete(info.Digest));
        Assert.False(_blobs.Delete(info.Digest));
        Assert.Empty(_blobs.ListDigests());
    }

    /// <summary>Endless zero bytes that fail (or trigger cancellation) after a number of bytes.</summary>
    private sealed class ThrowingStream(long afterBytes, Action onLimit) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= afterBytes)
            {
                onLimit();
            }

            var n = (int)Math.Min(count, 64 * 1024);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= afterBytes)
            {
                onLimit();
            }

            cancellationToken.ThrowIfCancellationRequested();
            var n = Math.Min(buffer.Length, 64 * 1024);
            buffer.Span[..n].Clear();
            _position += n;
            return ValueTask.FromResult(n);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
