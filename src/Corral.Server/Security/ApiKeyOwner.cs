using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Security;

/// <summary>
/// Who owns what a request stores (responses, conversations): the SHA-256 of its API key, set by
/// <see cref="ApiKeyMiddleware"/>, so rows name a key without holding it. With API keys off everything
/// belongs to the empty owner, as on a server with one user.
/// </summary>
public static class ApiKeyOwner
{
    private static readonly object ItemKey = new();

    public static string Of(HttpContext http) => http.Items.TryGetValue(ItemKey, out var owner) && owner is string s ? s : string.Empty;

    internal static void Set(HttpContext http, ReadOnlySpan<char> key)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(key.ToArray());
        SHA256.HashData(bytes, digest);
        http.Items[ItemKey] = "sha256:" + Convert.ToHexStringLower(digest);
    }
}
