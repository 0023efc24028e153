namespace Corral.Bench.Soak;

/// <summary>A runner process of the soak's server and the model it serves.</summary>
internal sealed record RunnerProcessInfo(int ProcessId, string Model);
