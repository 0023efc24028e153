namespace Corral.Bench.Compare;

/// <summary>The prompts of one round: per client count one list per client; (cold, cached) prefix pairs; mixed clients' lists.</summary>
internal sealed record RoundPlan(
    IReadOnlyList<(int Clients, IReadOnlyList<IReadOnlyList<string>> Prompts)> Clients,
    IReadOnlyList<(string Cold, string Hit)> Prefix,
    IReadOnlyList<IReadOnlyList<string>> Mixed);
