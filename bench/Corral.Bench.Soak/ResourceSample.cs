namespace Corral.Bench.Soak;

/// <summary>The server and each runner at one moment, with the machine's load average and the requests sent so far.</summary>
internal sealed record ResourceSample(string Label, TimeSpan At, string LoadAverage, int Requests, IReadOnlyList<ProcessSample> Processes);
