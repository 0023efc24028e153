using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Corral.Server.WebUi;

/// <summary>
/// The chat page's static files, embedded in this assembly under the logical name <c>webui/&lt;path&gt;</c> (see
/// Corral.Server.csproj), read once on first use. Nothing is read from disk or fetched at run time.
/// </summary>
public static class WebUiAssets
{
    private const string Prefix = "webui/";

    private static readonly Lazy<FrozenDictionary<string, WebUiAsset>> All = new(Load);

    /// <summary>The asset at <paramref name="path"/> (relative to /ui/, e.g. "app.js"), or null.</summary>
    public static WebUiAsset? Find(string path) => All.Value.GetValueOrDefault(path);

    public static IEnumerable<string> Paths => All.Value.Keys;

    private static FrozenDictionary<string, WebUiAsset> Load()
    {
        var assembly = typeof(WebUiAssets).Assembly;
        var assets = new Dictionary<string, WebUiAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || ContentTypeOf(name) is not { } type)
            {
                continue; // licence files and anything without a known type stay unserved
            }

            var bytes = Read(assembly, name);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
            assets[name[Prefix.Length..]] = new WebUiAsset(bytes, type, etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string? ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => null,
    };
}
