using System.Text.Json;
using Corral.Api.OpenAI;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI;

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal static class OpenAIErrors
{
    public static OpenAIErrorResponse Create(int status, string message) => new()
    {
        Error = new OpenAIError
        {
            Message = message,
            Type = status is >= 400 and < 500 ? "invalid_request_error" : "api_error",
            Code = status == StatusCodes.Status404NotFound && message.StartsWith("model ", StringComparison.Ordinal) ? "model_not_found" : null,
        },
    };

    public static async Task WriteAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, Create(status, message), OpenAIJsonContext.Wire.OpenAIErrorResponse, http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }
}
