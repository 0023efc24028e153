using System.Security.Cryptography;
using System.Text;

namespace Corral.Server.Security;

/// <summary>
/// The keys of <c>CORRAL_API_KEYS_FILE</c>, held only as SHA-256 hashes. A line is a key (or
/// <c>sha256:&lt;hex&gt;</c> of one) with an optional scope after whitespace; no scope means admin;
/// a word starting with <c>#</c> starts a comment.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly (byte[] Hash, ApiScope Scope)[] _keys;

    private ApiKeyStore((byte[] Hash, ApiScope Scope)[] keys) => _keys = keys;

    public int Count => _keys.Length;

    public static ApiKeyStore Load(string path) => Parse(File.ReadAllLines(path), path);

    public static ApiKeyStore Parse(IEnumerable<string> lines, string source = "api keys")
    {
        var keys = new List<(byte[], ApiScope)>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            // A word starting with '#' starts a comment; a '#' inside a key is part of the key.
            var parts = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                .TakeWhile(static word => !word.StartsWith('#'))
                .ToArray();
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts.Length > 2)
            {
                throw new FormatException($"{source}:{number}: expected '<key> [read|infer|admin]'");
            }

            var scope = parts.Length == 2 ? ParseScope(parts[1], source, number) : ApiScope.Admin;
            keys.Add((HashOf(parts[0], source, number), scope));
        }

        return new ApiKeyStore([.. keys]);
    }

    /// <summary>
    /// The scope of <paramref name="presented"/>, or null when it matches no key. Every stored hash is
    /// compared in constant time, and the loop never stops early, so timing tells nothing about which
    /// bytes (or which key) matched.
    /// </summary>
    public ApiScope? Authenticate(ReadOnlySpan<char> presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var byteCount = Encoding.UTF8.GetByteCount(presented);
        var bytes = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(presented, bytes);
        SHA256.HashData(bytes, digest);

        ApiScope? best = null;
        foreach (var (hash, scope) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, digest) && (best is null || scope > best))
            {
                best = scope;
            }
        }

        return best;
    }

    /// <summary>The line to store for <paramref name="key"/> when keys must not sit in the file in clear.</summary>
    public static string HashedLine(string key, ApiScope scope) =>
        $"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))} {scope.ToString().ToLowerInvariant()}";

    private static byte[] HashOf(string token, string source, int number)
    {
        if (token.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            var hex = token["sha256:".Length..];
            if (hex.Length != SHA256.HashSizeInBytes * 2 || !hex.All(Uri.IsHexDigit))
            {
                throw new FormatException($"{source}:{number}: sha256: needs 64 hex digits");
            }

            return Convert.FromHexString(hex);
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    private static ApiScope ParseScope(string text, string source, int number) => text.ToLowerInvariant() switch
    {
        "read" => ApiScope.Read,
        "infer" => ApiScope.Infer,
        "admin" => ApiScope.Admin,
        _ => throw new FormatException($"{source}:{number}: unknown scope '{text}' (read, infer or admin)"),
    };
}
