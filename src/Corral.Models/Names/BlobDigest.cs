using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Corral.Models.Names;

/// <summary>
/// A content digest <c>sha256:&lt;64 hex&gt;</c>. Like Ollama, parsing also accepts the
/// <c>sha256-</c> separator (the blob file form) and upper-case hex; the value is kept in
/// canonical lower case, so <see cref="FileName"/> always names the file Ollama would write.
/// Nothing else parses: no other algorithm, no other length, no path characters.
/// </summary>
public sealed class BlobDigest : IEquatable<BlobDigest>
{
    public const string Algorithm = "sha256";
    public const int HexLength = 64;
    private const int PrefixLength = 7; // "sha256:" or "sha256-"

    /// <summary>Ollama's answer to a digest that does not parse (a blob upload, a create's file).</summary>
    public const string InvalidFormatMessage = "invalid digest format";

    private BlobDigest(string hex) => Hex = hex;

    /// <summary>The 64 lower-case hex characters.</summary>
    public string Hex { get; }

    /// <summary>The blob's file name in <c>blobs/</c>: <c>sha256-&lt;hex&gt;</c>.</summary>
    public string FileName => $"{Algorithm}-{Hex}";

    public override string ToString() => $"{Algorithm}:{Hex}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out BlobDigest? digest)
    {
        digest = null;
        if (text is null || text.Length != PrefixLength + HexLength
            || !text.StartsWith(Algorithm, StringComparison.Ordinal)
            || (text[Algorithm.Length] != ':' && text[Algorithm.Length] != '-'))
        {
            return false;
        }

        var hex = text.AsSpan(PrefixLength);
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        digest = new BlobDigest(hex.ToString().ToLowerInvariant());
        return true;
    }

    public static BlobDigest Parse(string? text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException($"invalid digest '{text}'");

    /// <summary>
    /// Recognises a blob file name exactly as Ollama writes it (<c>sha256-</c> + lower-case hex);
    /// partial downloads, temp files and anything else are not blobs.
    /// </summary>
    public static bool TryParseFileName(string? fileName, [NotNullWhen(true)] out BlobDigest? digest)
    {
        digest = null;
        if (fileName is null || fileName.Length != PrefixLength + HexLength
            || !fileName.StartsWith("sha256-", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in fileName.AsSpan(PrefixLength))
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        digest = new BlobDigest(fileName[PrefixLength..]);
        return true;
    }

    /// <summary>Builds a digest from a 32-byte SHA-256 hash.</summary>
    public static BlobDigest FromHash(ReadOnlySpan<byte> sha256)
    {
        if (sha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("a SHA-256 hash is 32 bytes", nameof(sha256));
        }

        return new BlobDigest(Convert.ToHexStringLower(sha256));
    }

    /// <summary>The digest of some bytes.</summary>
    public static BlobDigest Compute(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

    public bool Equals(BlobDigest? other) => other is not null && string.Equals(Hex, other.Hex, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as BlobDigest);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Hex);

    public static bool operator ==(BlobDigest? left, BlobDigest? right) => Equals(left, right);

    public static bool operator !=(BlobDigest? left, BlobDigest? right) => !Equals(left, right);
}
