using System.Globalization;

namespace Corral.Bench.Compare;

/// <summary>
/// CPU time a process has used (user + system, from <c>/proc/PID/stat</c>): on a machine shared with other work,
/// CPU seconds per token say what a server costs far more steadily than tokens per second of wall time do.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>Clock ticks per second of the utime and stime fields (USER_HZ, 100 on every Linux this runs on).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds <paramref name="pid"/> has used so far, its exited threads included; 0 when it is gone.</summary>
    public static double Seconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        // Fields 14 and 15 (utime, stime) are the 12th and 13th after it.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }

    /// <summary>CPU seconds used by the current process (the bench itself: its clients, or the in-process loop).</summary>
    public static double Own() => Seconds(Environment.ProcessId);
}
