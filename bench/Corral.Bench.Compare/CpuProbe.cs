namespace Corral.Bench.Compare;

/// <summary>
/// The processes one side runs, by role (llama-server; corral serve and its runners), read before and after a level
/// so the figures are CPU milliseconds per 1,000 generated tokens for each role and for the side as a whole.
/// </summary>
internal sealed class CpuProbe(Func<IReadOnlyList<(string Role, int Pid)>> processes)
{
    /// <summary>CPU seconds by role now; roles with several processes (two runners) are summed.</summary>
    public Dictionary<string, double> Read()
    {
        var seconds = new Dictionary<string, double>();
        foreach (var (role, pid) in processes())
        {
            seconds[role] = seconds.GetValueOrDefault(role) + ProcessCpu.Seconds(pid);
        }

        return seconds;
    }

    /// <summary>
    /// The figures of one level: per role and all together, CPU ms per 1,000 tokens, and how many cores the side kept
    /// busy on average over the level's wall time.
    /// </summary>
    public static List<(string Metric, double Value)> Figures(
        Dictionary<string, double> before, Dictionary<string, double> after, double ownSeconds, int tokens, double wallSeconds)
    {
        var figures = new List<(string, double)>();
        var total = 0.0;
        foreach (var (role, end) in after)
        {
            var used = end - before.GetValueOrDefault(role);
            total += used;
            if (after.Count > 1)
            {
                figures.Add(($"CPU ms / 1k tokens: {role}", used * 1e6 / tokens));
            }
        }

        figures.Add(("CPU ms / 1k tokens: server processes", total * 1e6 / tokens));
        figures.Add(("cores busy: server processes", total / wallSeconds));
        figures.Add(("CPU ms / 1k tokens: bench client", ownSeconds * 1e6 / tokens));
        return figures;
    }
}
