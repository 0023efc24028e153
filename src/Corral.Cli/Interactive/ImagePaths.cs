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

    /// <summary>Ollama's limit on one image file.</summary>
    private const long MaxImageBytes = 100L * 1024 * 1024;

    /// <summary>
    /// Removes every path that names an existing file from <paramref name="prompt"/> and returns the files' bytes;
    /// paths that do not exist stay in the text, as in ollama (they may just be text), and are listed in
    /// <c>Missing</c> so the caller can say so.
    /// </summary>
    /// <exception cref="FormatException">A named file is not a JPEG, PNG or WebP image, or is too large (ollama refuses these too).</exception>
    public static (string Prompt, IReadOnlyList<(string Path, byte[] Bytes)> Images, IReadOnlyList<string> Missing) Extract(string prompt)
    {
        var images = new List<(string, byte[])>();
        var missing = new List<string>();
        var text = PathPattern().Replace(prompt, match =>
        {
            var raw = match.Groups["q"].Success ? match.Groups["q"].Value : match.Groups["p"].Value.Replace("\\ ", " ", StringComparison.Ordinal);
            var path = raw.StartsWith("~/", StringComparison.Ordinal)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), raw[2..])
                : raw;
            if (!File.Exists(path))
            {
                missing.Add(raw);
                return match.Value;
            }

            images.Add((raw, Read(raw, path)));
            return string.Empty;
        });
        return (images.Count > 0 ? text.Trim() : prompt, images, missing);
    }

    private static byte[] Read(string shown, string path)
    {
        if (new FileInfo(path).Length > MaxImageBytes)
        {
            throw new FormatException($"couldn't process image '{shown}': the file is larger than 100 MB");
        }

        var bytes = File.ReadAllBytes(path);
        if (!IsJpegPngOrWebp(bytes))
        {
            throw new FormatException($"couldn't process image '{shown}': invalid image type (not a JPEG, PNG or WebP file)");
        }

        return bytes;
    }

    /// <summary>The file's signature, not its name: what ollama's content sniffing allows.</summary>
    private static bool IsJpegPngOrWebp(ReadOnlySpan<byte> data) =>
        data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
        || data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])
        || (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8));
}
