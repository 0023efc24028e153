using System.Text.Json;
using Corral.Api.Anthropic;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Anthropic;

/// <summary>Anthropic's error body <c>{"type":"error","error":{type, message}}</c>, its type named after the status.</summary>
internal static class AnthropicErrors
{
    public static AnthropicErrorResponse Create(int status, string message) => new()
    {
        Error = new AnthropicError { Type = TypeFor(status), Message = message },
    };

    public static string TypeFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "authentication_error",
        StatusCodes.Status403Forbidden => "permission_error",
        StatusCodes.Status404NotFound => "not_found_error",
        StatusCodes.Status413PayloadTooLarge => "request_too_large",
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        StatusCodes.Status503ServiceUnavailable or 529 => "overloaded_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "api_error",
    };

    public static async Task WriteAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, Create(status, message), AnthropicJsonContext.Wire.AnthropicErrorResponse, http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }
}
