using System.Diagnostics;
using System.Collections.Concurrent;

namespace Corral.Bench.Soak;

/// <summary>Every route's <see cref="RouteStats"/>, in the order routes were first used.</summary>
internal sealed class RouteBook
{
    private readonly ConcurrentDictionary<string, RouteStats> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, (string Route, long Since)> _inFlight = new();
    private long _nextTicket;

    public RouteStats this[string route] => _routes.GetOrAdd(route, static r => new RouteStats(r));

    public IReadOnlyList<RouteStats> All => [.. _routes.Values.OrderBy(r => r.Route, StringComparer.Ordinal)];

    public int TotalErrors => _routes.Values.Sum(r => r.ErrorCount);

    public int TotalRequests => _routes.Values.Sum(r => r.Count);

    /// <summary>Notes a request in flight (for <see cref="OldestInFlight"/>); returns the ticket to end it with.</summary>
    public long Begin(string route)
    {
        var ticket = Interlocked.Increment(ref _nextTicket);
        _inFlight[ticket] = (route, Stopwatch.GetTimestamp());
        return ticket;
    }

    public void End(long ticket) => _inFlight.TryRemove(ticket, out _);

    /// <summary>The request in flight the longest, to tell a hang while it happens (the timeout only says so later).</summary>
    public (string Route, TimeSpan Age)? OldestInFlight() =>
        _inFlight.Values.OrderBy(r => r.Since).Select(r => ((string, TimeSpan)?)(r.Route, Stopwatch.GetElapsedTime(r.Since))).FirstOrDefault();
}
