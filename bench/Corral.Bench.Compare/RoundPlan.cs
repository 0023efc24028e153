namespace Corral.Bench.Compare;

/// <summary>The prompts of one round: per client count one list per client; shared-prefix sets; mixed clients' lists.</summary>
internal sealed record RoundPlan(
    IReadOnlyList<(int Clients, IReadOnlyList<IReadOnlyList<string>> Prompts)> Clients,
    IReadOnlyList<PrefixPrompts> Prefix,
    IReadOnlyList<IReadOnlyList<string>> Mixed);
