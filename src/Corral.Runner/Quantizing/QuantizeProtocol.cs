using System.Globalization;

namespace Corral.Runner.Quantizing;

/// <summary>
/// The lines <c>corral quantize</c> writes on stdout: <c>progress DONE TOTAL</c> (tensors) while it works and
/// <c>done</c> at the end. On failure it writes one <c>Error: ...</c> line on stderr and exits non-zero.
/// </summary>
internal static class QuantizeProtocol
{
    public const string Done = "done";
    public const string ErrorPrefix = "Error: ";
    private const string ProgressPrefix = "progress ";

    public static string Progress(int done, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{ProgressPrefix}{done} {total}");

    public static bool TryParseProgress(string line, out int done, out int total)
    {
        done = total = 0;
        if (!line.StartsWith(ProgressPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line.AsSpan(ProgressPrefix.Length);
        var space = rest.IndexOf(' ');
        return space > 0
            && int.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out done)
            && int.TryParse(rest[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out total)
            && total > 0 && done <= total;
    }
}
