using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Corral.Runner.Client;

/// <summary>
/// A request body serialized up front into a buffer of its own, then sent through a small scratch buffer. Both halves
/// keep a huge prompt from outliving its request: <c>JsonContent</c> writes through an array rented from the shared
/// pool that must hold a whole string value (a 40 MB prompt left a 64 MB array in the pool for good), and a socket
/// keeps a reference to the last buffer it sent until its next send, so an idle pooled connection to a runner held the
/// whole serialized request. Small requests cost one extra copy; every request gets a Content-Length, so the runner
/// reads it into one array of the right size.
/// </summary>
internal sealed class UnpooledJsonContent : HttpContent
{
    private const int Chunk = 64 * 1024;
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly ReadOnlyMemory<byte> _body;

    private UnpooledJsonContent(ReadOnlyMemory<byte> body)
    {
        _body = body;
        Headers.ContentType = Json;
    }

    public static HttpContent Create<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return new UnpooledJsonContent(buffer.WrittenMemory);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_body.Length <= Chunk)
        {
            await stream.WriteAsync(_body, cancellationToken).ConfigureAwait(false);
            return;
        }

        var scratch = new byte[Chunk];
        for (var offset = 0; offset < _body.Length; offset += Chunk)
        {
            var part = _body.Slice(offset, Math.Min(Chunk, _body.Length - offset));
            part.CopyTo(scratch);
            await stream.WriteAsync(scratch.AsMemory(0, part.Length), cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
