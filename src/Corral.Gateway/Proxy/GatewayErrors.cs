using System.Text.Json;
using Corral.Api.OpenAI;
using Corral.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Corral.Gateway.Proxy;

/// <summary>Errors the gateway itself answers: Ollama's <c>{"error": "..."}</c>, or OpenAI's shape under /v1.</summary>
public static class GatewayErrors
{
    public static async Task WriteAsync(HttpContext http, int status, string message)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        if (http.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=utf-8";
            var body = new OpenAIErrorResponse
            {
                Error = new OpenAIError { Message = message, Type = status >= 500 ? "api_error" : "invalid_request_error" },
            };
            await JsonSerializer.SerializeAsync(http.Response.Body, body, OpenAIJsonContext.Wire.OpenAIErrorResponse, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        await ApiError.WriteAsync(http, status, message).ConfigureAwait(false);
    }
}
