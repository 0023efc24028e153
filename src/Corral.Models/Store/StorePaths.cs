namespace Corral.Models.Store;

/// <summary>
/// The last check before any store path is used: the full path must stay strictly inside the
/// folder it belongs to. Names and digests are validated before they get here; this catches
/// whatever a future bug lets through (defence in depth).
/// </summary>
internal static class StorePaths
{
    public static string Under(string directory, string relative)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"path '{relative}' escapes the model store");
        }

        return full;
    }
}
