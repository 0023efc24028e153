using Microsoft.AspNetCore.Http;

namespace Corral.Gateway.Proxy;

/// <summary>
/// Reads a request body whole, bounded: the router needs the model name from it, and a retry on another backend needs
/// to send it again.
/// </summary>
public static class RequestBody
{
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellation)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)Math.Min(length, 1 << 20) : 4096);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
