using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Corral.Api.OpenAI;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI;

/// <summary>
/// Server-sent events as OpenAI streams them: <c>data: {json}\n\n</c> per chunk, flushed as produced,
/// and <c>data: [DONE]\n\n</c> at the end. JSON goes straight into the response pipe.
/// </summary>
internal sealed class SseStream(HttpContext http) : IDisposable
{
    private static readonly byte[] Prefix = "data: "u8.ToArray();
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private static readonly byte[] Separator = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private Utf8JsonWriter? _json;

    public bool Started => _json is not null;

    private PipeWriter Pipe => http.Response.BodyWriter;

    public void Start()
    {
        if (_json is not null)
        {
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        _json = new Utf8JsonWriter((IBufferWriter<byte>)Pipe, new JsonWriterOptions { SkipValidation = true, Encoder = OpenAIJsonContext.Wire.Options.Encoder });
    }

    /// <summary>Buffers one event; call <see cref="FlushAsync"/> to send what is buffered.</summary>
    public void Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        Start();
        Pipe.Write(Prefix);
        _json!.Reset((IBufferWriter<byte>)Pipe);
        JsonSerializer.Serialize(_json, value, typeInfo);
        _json.Flush();
        Pipe.Write(Separator);
    }

    /// <summary>Buffers one named event (<c>event: name</c> before the data), as the Responses API streams.</summary>
    public void Write<T>(string eventName, T value, JsonTypeInfo<T> typeInfo)
    {
        Start();
        Pipe.Write(EventPrefix);
        System.Text.EncodingExtensions.GetBytes(System.Text.Encoding.UTF8, eventName, (IBufferWriter<byte>)Pipe);
        Pipe.Write(NewLine);
        Write(value, typeInfo);
    }

    public async ValueTask WriteAsync<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        Write(value, typeInfo);
        await FlushAsync().ConfigureAwait(false);
    }

    public async ValueTask FlushAsync() => await Pipe.FlushAsync(http.RequestAborted).ConfigureAwait(false);

    public async ValueTask WriteDoneAsync()
    {
        Start();
        Pipe.Write(Done);
        await FlushAsync().ConfigureAwait(false);
    }

    /// <summary>A failure after the first event: an error event (OpenAI's shape), then the stream ends.</summary>
    public async ValueTask WriteErrorAsync(int status, string message)
    {
        Write(OpenAIErrors.Create(status, message), OpenAIJsonContext.Wire.OpenAIErrorResponse);
        await FlushAsync().ConfigureAwait(false);
    }

    public void Dispose() => _json?.Dispose();
}
