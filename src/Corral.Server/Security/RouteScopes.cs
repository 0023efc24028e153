using Microsoft.AspNetCore.Http;

namespace Corral.Server.Security;

/// <summary>
/// The one table of which scope each route needs. Routes are matched by their route pattern (as
/// mapped), so a new route that is not listed here falls to admin: forgetting to list it can only
/// make it stricter.
/// </summary>
public static class RouteScopes
{
    private static readonly Dictionary<string, ApiScope> ByRoute = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/api/version"] = ApiScope.Read,
        ["/api/tags"] = ApiScope.Read,
        ["/api/show"] = ApiScope.Read,
        ["/api/ps"] = ApiScope.Read,
        ["/v1/models"] = ApiScope.Read,
        ["/v1/models/{**model}"] = ApiScope.Read,
        ["/metrics"] = ApiScope.Read,

        ["/api/generate"] = ApiScope.Infer,
        ["/api/chat"] = ApiScope.Infer,
        ["/api/embed"] = ApiScope.Infer,
        ["/api/embeddings"] = ApiScope.Infer,
        ["/api/rerank"] = ApiScope.Infer,
        ["/api/tokenize"] = ApiScope.Infer,
        ["/api/detokenize"] = ApiScope.Infer,
        ["/v1/chat/completions"] = ApiScope.Infer,
        ["/v1/completions"] = ApiScope.Infer,
        ["/v1/embeddings"] = ApiScope.Infer,
        ["/v1/responses"] = ApiScope.Infer,
        ["/v1/responses/{id}"] = ApiScope.Infer,
        ["/v1/responses/{id}/input_items"] = ApiScope.Infer,
        ["/v1/responses/{id}/cancel"] = ApiScope.Infer,
        ["/v1/conversations"] = ApiScope.Infer,
        ["/v1/conversations/{id}"] = ApiScope.Infer,
        ["/v1/conversations/{id}/items"] = ApiScope.Infer,
        ["/v1/conversations/{id}/items/{itemId}"] = ApiScope.Infer,
        ["/v1/rerank"] = ApiScope.Infer,
        ["/v1/messages"] = ApiScope.Infer,
        ["/v1/messages/count_tokens"] = ApiScope.Infer,

        ["/api/create"] = ApiScope.Admin,
        ["/api/copy"] = ApiScope.Admin,
        ["/api/delete"] = ApiScope.Admin,
        ["/api/pull"] = ApiScope.Admin,
        ["/api/push"] = ApiScope.Admin,
        ["/api/blobs/{**digest}"] = ApiScope.Admin,
    };

    /// <summary>
    /// True for what stays open with keys on: the health banner, as Ollama's probes expect, and the chat page's static
    /// files (/ui), which hold no data and must load before the page can ask for a key.
    /// </summary>
    public static bool IsOpen(string method, PathString path) =>
        (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) && (path.Value is "/" or "" or null || WebUi.WebUiRoutes.IsPagePath(path));

    /// <summary>
    /// The scope <paramref name="routePattern"/> needs; null pattern (no route matched, the answer
    /// will be 404 or 405) needs only a valid key, so that unauthenticated callers learn nothing.
    /// A group's root route (MapGroup("/v1/messages") + MapPost("")) has the pattern "/v1/messages/": the table lists it
    /// without the trailing slash.
    /// </summary>
    public static ApiScope Required(string? routePattern) =>
        routePattern is null ? ApiScope.Read : ByRoute.GetValueOrDefault(routePattern.Length > 1 ? routePattern.TrimEnd('/') : routePattern, ApiScope.Admin);
}
