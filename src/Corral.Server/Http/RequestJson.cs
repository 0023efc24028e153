using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Http;

/// <summary>Reads a JSON request body with source-generated metadata, turning every malformed body into a 400 in Ollama's words.</summary>
public static class RequestJson
{
    public static async Task<T> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            var value = await Corral.Runner.Hosting.JsonBody.ReadAsync(http.Request, typeInfo, http.RequestAborted).ConfigureAwait(false);
            return value ?? throw ApiException.BadRequest("missing request body");
        }
        catch (JsonException ex) when (IsEmptyBody(ex))
        {
            throw ApiException.BadRequest("missing request body");
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest(Describe(ex));
        }
    }

    private static bool IsEmptyBody(JsonException ex) =>
        ex.BytePositionInLine == 0 && ex.LineNumber == 0 && ex.Message.Contains("input does not contain any JSON tokens", StringComparison.Ordinal);

    /// <summary>The first sentence of the parser's message, without .NET type names, plus where it happened.</summary>
    private static string Describe(JsonException ex)
    {
        var message = ex.InnerException is FormatException or InvalidOperationException or ArgumentException
            ? ex.InnerException.Message
            : ex.Message;
        if (ex.Path is { } imagePath && imagePath.Contains(".images[", StringComparison.Ordinal) && ex.InnerException is FormatException)
        {
            // byte[] fields read as base64; say which image in plain words.
            return $"invalid image input: {imagePath.TrimStart('$', '.')} is not valid base64";
        }

        var path = ex.Path is { Length: > 1 } p ? $" at {p}" : string.Empty;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        message = System.Text.RegularExpressions.Regex.Replace(message, @"\bCorral\.[\w.]+", "value");
        return $"invalid JSON: {message.TrimEnd('.')}{path}";
    }
}
