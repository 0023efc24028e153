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
            Type = TypeFor(status),
            // Not in Ollama (its code is always null): OpenAI's own code for an unknown model, which its SDKs surface.
            Code = status == StatusCodes.Status404NotFound && message.StartsWith("model ", StringComparison.Ordinal) ? "model_not_found" : null,
        },
    };

    /// <summary>
    /// Ollama's compatibility layer names only two statuses (400 and 404) and calls everything else an api_error;
    /// clients written against Ollama branch on these.
    /// </summary>
    public static string TypeFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "invalid_request_error",
        StatusCodes.Status404NotFound => "not_found_error",
        _ => "api_error",
    };

    public static async Task WriteAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, Create(status, message), OpenAIJsonContext.Wire.OpenAIErrorResponse, http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }
}
