using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Corral.Runner.Hosting;

/// <summary>Writes source-generated JSON values as newline-delimited JSON straight into a pipe, without intermediate strings.</summary>
public sealed class NdjsonWriter : IDisposable
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;

    /// <param name="pipe">The pipe the lines are written into.</param>
    /// <param name="encoder">
    /// How strings are escaped. The writer's encoder decides, not the type info's options, so a public API passes
    /// its wire encoder here; null is System.Text.Json's default (fine for the private runner protocol).
    /// </param>
    public NdjsonWriter(PipeWriter pipe, JavaScriptEncoder? encoder = null)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter((IBufferWriter<byte>)pipe, new JsonWriterOptions { SkipValidation = true, Encoder = encoder });
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
