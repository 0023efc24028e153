using System.Text.Json.Serialization.Metadata;
using Corral.Api.Json;
using Corral.Runner.Hosting;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Http;

/// <summary>
/// Writes a streamed answer as NDJSON (<c>application/x-ndjson</c>), one object per line, flushed as produced.
/// An error after the first line goes out as an <c>{"error": ...}</c> line, as Ollama does.
/// </summary>
public sealed class NdjsonResponse(HttpContext http) : IDisposable
{
    private NdjsonWriter? _writer;

    public bool Started => _writer is not null;

    public async ValueTask WriteAsync<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        if (_writer is null)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/x-ndjson";
            _writer = new NdjsonWriter(http.Response.BodyWriter, GoJsonEncoder.Instance);
        }

        _writer.Write(value, typeInfo);
        await _writer.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask WriteErrorAsync(string message)
    {
        await http.Response.BodyWriter.WriteAsync(ApiError.Serialize(message), http.RequestAborted).ConfigureAwait(false);
        await http.Response.BodyWriter.WriteAsync("\n"u8.ToArray(), http.RequestAborted).ConfigureAwait(false);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    public void Dispose() => _writer?.Dispose();
}
