using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Corral.Runner.Hosting;

/// <summary>Writes source-generated JSON values as newline-delimited JSON straight into a pipe, without intermediate strings.</summary>
public sealed class NdjsonWriter : IDisposable
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;

    public NdjsonWriter(PipeWriter pipe)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter((IBufferWriter<byte>)pipe, new JsonWriterOptions { SkipValidation = true });
    }

    public void Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        _json.Reset((IBufferWriter<byte>)_pipe);
        JsonSerializer.Serialize(_json, value, typeInfo);
        _json.Flush();
        _pipe.Write(Newline);
    }

    public async ValueTask FlushAsync(CancellationToken cancellation) => await _pipe.FlushAsync(cancellation).ConfigureAwait(false);

    public void Dispose() => _json.Dispose();
}
