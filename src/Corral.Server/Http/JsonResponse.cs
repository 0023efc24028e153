using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Http;

/// <summary>Writes one JSON object with source-generated metadata.</summary>
public static class JsonResponse
{
    public static async Task WriteAsync<T>(HttpContext http, T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, value, typeInfo, http.RequestAborted).ConfigureAwait(false);
    }
}
