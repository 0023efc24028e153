using System.Text.Json;
using Corral.Api.Json;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Http;

/// <summary>Writes errors in Ollama's shape: <c>{"error": "..."}</c> with the given status code.</summary>
public static class ApiError
{
    public static async Task WriteAsync(HttpContext http, int status, string message)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(Serialize(message)).ConfigureAwait(false);
    }

    public static byte[] Serialize(string message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 + message.Length);
        // Escaped as Go escapes (quotes as \", not \u0022), so an error's bytes match Ollama's.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = GoJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
