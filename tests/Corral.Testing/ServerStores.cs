namespace Corral.Testing;

/// <summary>What the two kinds of test server (<see cref="IServerUnderTest"/>) share about their model stores and runners.</summary>
internal static class ServerStores
{
    /// <summary>A fresh temp store (<c>/tmp/corral-store-*</c>), removed with its server.</summary>
    public static string CreateTemp() => Directory.CreateTempSubdirectory("corral-store-").FullName;

    /// <summary>Process ids of the <c>corral runner</c> processes whose command line names a path in <paramref name="modelsPath"/>.</summary>
    public static IReadOnlyList<int> RunnerProcessIds(string modelsPath)
    {
        var ids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (args.Contains("runner") && args.Any(a => a.StartsWith(modelsPath, StringComparison.Ordinal)))
                {
                    ids.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return ids;
    }

    /// <summary>
    /// A test's model store is a temp folder (<c>/tmp/corral-*</c>) that no one needs once its server is gone: a run
    /// leaves nothing behind. Folders elsewhere are the caller's.
    /// </summary>
    public static void DeleteIfTemp(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var temp = Path.GetFullPath(Path.GetTempPath()).TrimEnd(Path.DirectorySeparatorChar);
        if (Path.GetDirectoryName(full) != temp || !Path.GetFileName(full).StartsWith("corral-", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            Directory.Delete(full, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
