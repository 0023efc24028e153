namespace Corral.Cli.Output;

internal static class ShortDigest
{
    /// <summary>The first 12 hex digits of a digest, with or without its "sha256:"/"sha256-" prefix.</summary>
    public static string Of(string digest)
    {
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.StartsWith("sha256-", StringComparison.Ordinal)
            ? digest[7..]
            : digest;
        return hex.Length > 12 ? hex[..12] : hex;
    }
}
