using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Corral.Runner.Hosting;

/// <summary>
/// Reads a JSON request body. Small bodies stream through System.Text.Json; a large one (a huge prompt) is read into
/// one array of its own size first. Streaming would buffer its longest string whole anyway, in arrays rented from the
/// shared pool, doubling as it grows: those go back to the pool and stay there, so one 40 MB prompt kept a process
/// hundreds of megabytes larger for good. A plain array is garbage once the request ends (<see cref="MemoryRelief"/>).
/// </summary>
public static class JsonBody
{
    /// <summary>Bodies up to this size stream.</summary>
    public const int StreamedBytes = 1024 * 1024;

    public static async ValueTask<T?> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellation)
    {
        if (request.ContentLength is { } length and <= StreamedBytes)
        {
            return await JsonSerializer.DeserializeAsync(request.Body, typeInfo, cancellation).ConfigureAwait(false);
        }

        byte[] body;
        if (request.ContentLength is { } known && known <= Array.MaxLength)
        {
            body = new byte[known];
            await request.Body.ReadExactlyAsync(body, cancellation).ConfigureAwait(false);
        }
        else
        {
            // Chunked (the server's requests to its runners): grow an unpooled buffer.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellation).ConfigureAwait(false);
            return Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), typeInfo);
        }

        return Deserialize(body, typeInfo);
    }

    // An empty body fails here as it would streamed ("The input does not contain any JSON tokens").
    private static T? Deserialize<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo) => JsonSerializer.Deserialize(utf8, typeInfo);
}
