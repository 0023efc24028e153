namespace Corral.Bench.Soak;

/// <summary>One process at one moment: VmRSS in KiB, entries in /proc/PID/fd, threads.</summary>
internal sealed record ProcessFootprint(long RssKb, int OpenFds, int Threads);
