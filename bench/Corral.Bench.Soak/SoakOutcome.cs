using Corral.Testing;

namespace Corral.Bench.Soak;

/// <summary>Everything the report needs once the soak is over.</summary>
internal sealed record SoakOutcome(
    SoakOptions Options,
    DateTime StartedUtc,
    TimeSpan LoadRan,
    RouteBook WarmUp,
    RouteBook Load,
    RouteBook Probe,
    IReadOnlyList<ResourceSample> Samples,
    IReadOnlyDictionary<string, IReadOnlySet<int>> RunnerIds,
    MetricsScrape BeforeLoad,
    MetricsScrape AfterLoad,
    TimeSpan SlotsDrainedAfter,
    IReadOnlyDictionary<string, int> ServerLogProblems,
    ServerStop Stop,
    IReadOnlyList<int> RunnersLeft);
