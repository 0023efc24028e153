using System.Text.RegularExpressions;

namespace Corral.Cli.Interactive;

/// <summary>
/// Finds image file paths in a prompt (absolute, ./relative or ~/ paths ending .jpg/.jpeg/.png/.webp, spaces
/// escaped with a backslash or the whole path quoted), as ollama does for vision models.
/// </summary>
internal static partial class ImagePaths
{
    [GeneratedRegex(@"(?:'(?<q>(?:~|\.{1,2})?/[^']+?\.(?:jpe?g|png|webp))'|""(?<q>(?:~|\.{1,2})?/[^""]+?\.(?:jpe?g|png|webp))""|(?<p>(?:~|\.{1,2})?/(?:\\ |[^\s])+?\.(?:jpe?g|png|webp)))(?=$|\s|[.,;:!?)])", RegexOptions.IgnoreCase)]
    private static partial Regex PathPattern();

    public static bool LooksLikeImagePath(string word) => PathPattern().IsMatch(word) && PathPattern().Match(word).Index == 0;

    /// <summary>
    /// Removes every path that names an existing file from <paramref name="prompt"/> and returns the files' bytes;
    /// paths that do not exist stay in the text.
    /// </summary>
    public static (string Prompt, IReadOnlyList<(string Path, byte[] Bytes)> Images) Extract(string prompt)
    {
        var images = new List<(string, byte[])>();
        var text = PathPattern().Replace(prompt, match =>
        {
            var raw = match.Groups["q"].Success ? match.Groups["q"].Value : match.Groups["p"].Value.Replace("\\ ", " ", StringComparison.Ordinal);
            var path = raw.StartsWith("~/", StringComparison.Ordinal)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), raw[2..])
                : raw;
            if (!File.Exists(path))
            {
                return match.Value;
            }

            images.Add((raw, File.ReadAllBytes(path)));
            return string.Empty;
        });
        return (images.Count > 0 ? text.Trim() : prompt, images);
    }
}
