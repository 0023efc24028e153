using System.Text;

namespace Corral.Server.Tests.Management;

/// <summary>Finds <c>corral quantize</c> children (of any server) working in a given blobs folder, through /proc.</summary>
internal static class QuantizeChildProcesses
{
    public static List<int> Find(string blobsPath)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string[] args;
            try
            {
                args = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))).Split('\0');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile
            }

            if (args.Contains("quantize") && args.Any(a => a.StartsWith(blobsPath, StringComparison.Ordinal)))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>Polls until no quantizer and no quantizer temp file is left (true) or the time is up (false).</summary>
    public static async Task<bool> WaitUntilNoneAsync(string blobsPath, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Find(blobsPath).Count > 0 || Directory.EnumerateFiles(blobsPath, ".quantize-*").Any())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>Files in the blobs folder (names only), to compare before and after a failed create.</summary>
    public static HashSet<string> BlobFiles(string blobsPath) =>
        Directory.EnumerateFiles(blobsPath).Select(f => Path.GetFileName(f)!).ToHashSet();
}
