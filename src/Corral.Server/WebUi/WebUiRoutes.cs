using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Server.WebUi;

/// <summary>
/// <c>GET|HEAD /ui</c> (the chat page) and <c>/ui/{file}</c> (its scripts and styles), from <see cref="WebUiAssets"/>.
/// The page talks to this same server's /api routes only, so the Host/Origin checks apply to it unchanged; with API
/// keys on, these files stay open (they hold no data) so the page can ask for a key.
/// </summary>
public static class WebUiRoutes
{
    public const string PagePath = "/ui";

    /// <summary>
    /// Scripts only from /ui itself (no inline script, no eval), so markup a model writes cannot run even if it
    /// slipped past the sanitizer; requests only to this origin; images also from data:/blob: (attachments).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
        + "font-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static IEndpointRouteBuilder MapWebUi(this IEndpointRouteBuilder routes)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        // The catch-all also matches /ui and /ui/ (with no file): both are the page.
        routes.MapMethods(PagePath + "/{**file}", methods, static (HttpContext http, string? file) => Serve(http, string.IsNullOrEmpty(file) ? "index.html" : file));
        return routes;
    }

    /// <summary>True for the page's own paths, which need no API key.</summary>
    public static bool IsPagePath(PathString path) => path.StartsWithSegments(PagePath, StringComparison.Ordinal);

    private static IResult Serve(HttpContext http, string file)
    {
        if (WebUiAssets.Find(file) is not { } asset)
        {
            return Results.Text("404 page not found", "text/plain", statusCode: StatusCodes.Status404NotFound);
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.ETag = asset.ETag;
        // Revalidate every time: the files change with the server binary and are tiny; 304s keep it cheap.
        headers.CacheControl = "no-cache";
        if (http.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
