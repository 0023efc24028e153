using System.Globalization;

namespace Corral.Bench.Soak;

/// <summary>What Linux's /proc says about a process: resident memory, open descriptors, threads, children.</summary>
internal static class ProcessProbe
{
    /// <summary>The process's footprint now, or null when it is gone (or not ours to read).</summary>
    public static ProcessFootprint? Read(int pid)
    {
        try
        {
            long rssKb = -1;
            var threads = -1;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rssKb = FirstNumber(line);
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = (int)FirstNumber(line);
                }
            }

            var fds = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
            return new ProcessFootprint(rssKb, fds, threads);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The arguments a process was started with; empty when it is gone.</summary>
    public static IReadOnlyList<string> CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    private static long FirstNumber(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
}
