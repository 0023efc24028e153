namespace Corral.Bench.Soak;

/// <summary>One process in a <see cref="ResourceSample"/>: "server" or "runner MODEL", its pid and footprint.</summary>
internal sealed record ProcessSample(string Name, int ProcessId, ProcessFootprint Footprint);
