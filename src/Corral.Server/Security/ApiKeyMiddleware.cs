using System.Text.Json;
using Corral.Api.OpenAI;
using Corral.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Server.Security;

/// <summary>
/// With <c>CORRAL_API_KEYS_FILE</c> set: every request but the health banner (and CORS preflights,
/// answered earlier) needs a key with the route's scope, as <c>Authorization: Bearer</c> or
/// <c>x-api-key</c>. 401 for a missing or unknown key, 403 for a key without the scope; /v1 answers
/// in OpenAI's error shape. Keys are never logged or echoed.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyFile keys)
{
    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (RouteScopes.IsOpen(request.Method, request.Path) || HttpMethods.IsOptions(request.Method))
        {
            return next(http);
        }

        var presented = PresentedKey(request);
        if (presented.IsEmpty)
        {
            return DenyAsync(http, StatusCodes.Status401Unauthorized, "unauthorized: missing API key (send 'Authorization: Bearer <key>')", "invalid_api_key");
        }

        if (keys.Current.Authenticate(presented) is not { } scope)
        {
            return DenyAsync(http, StatusCodes.Status401Unauthorized, "unauthorized: invalid API key", "invalid_api_key");
        }

        var required = RouteScopes.Required((http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText);
        if (scope < required)
        {
            var message = $"forbidden: this API key has the '{Name(scope)}' scope; {request.Method} {request.Path} needs '{Name(required)}'";
            return DenyAsync(http, StatusCodes.Status403Forbidden, message, "insufficient_scope");
        }

        ApiKeyOwner.Set(http, presented);
        return next(http);
    }

    private static ReadOnlySpan<char> PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString().AsSpan().Trim();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Headers["x-api-key"].ToString().AsSpan().Trim();
    }

    private static async Task DenyAsync(HttpContext http, int status, string message, string code)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var path = http.Request.Path;
        if (path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            var body = new OpenAIErrorResponse
            {
                Error = new OpenAIError
                {
                    Message = message,
                    Type = status == StatusCodes.Status401Unauthorized ? "authentication_error" : "permission_error",
                    Code = code,
                },
            };
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(http.Response.Body, body, OpenAIJsonContext.Wire.OpenAIErrorResponse, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        await ApiError.WriteAsync(http, status, message).ConfigureAwait(false);
    }

    private static string Name(ApiScope scope) => scope.ToString().ToLowerInvariant();
}
