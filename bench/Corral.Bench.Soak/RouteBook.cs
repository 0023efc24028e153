using System.Collections.Concurrent;

namespace Corral.Bench.Soak;

/// <summary>Every route's <see cref="RouteStats"/>, in the order routes were first used.</summary>
internal sealed class RouteBook
{
    private readonly ConcurrentDictionary<string, RouteStats> _routes = new(StringComparer.Ordinal);

    public RouteStats this[string route] => _routes.GetOrAdd(route, static r => new RouteStats(r));

    public IReadOnlyList<RouteStats> All => [.. _routes.Values.OrderBy(r => r.Route, StringComparer.Ordinal)];

    public int TotalErrors => _routes.Values.Sum(r => r.ErrorCount);

    public int TotalRequests => _routes.Values.Sum(r => r.Count);
}
