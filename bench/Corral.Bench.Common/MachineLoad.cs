namespace Corral.Bench.Common;

/// <summary>How busy the machine is, printed beside every figure: on a shared machine it says how far to trust one.</summary>
public static class MachineLoad
{
    /// <summary>The 1, 5 and 15 minute load averages as /proc/loadavg writes them, or "?" where there is none.</summary>
    public static string Average() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
