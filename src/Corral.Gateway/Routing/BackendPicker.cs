using Corral.Gateway.Fleet;

namespace Corral.Gateway.Routing;

/// <summary>
/// The routing rule. Among backends that are up and not draining (and not already tried): one that has the model
/// loaded with a free slot; else the least loaded that has it on disk (it loads it there, or queues where it is loaded);
/// else the least loaded of all. Where several qualify, a conversation goes where its affinity hash points
/// (rendezvous hashing: the same backend every turn while it qualifies and is not far busier than the rest, and only the
/// conversations of a backend that leaves move), so its prefix cache keeps hitting; requests without one go to the
/// least loaded.
/// </summary>
public sealed class BackendPicker(BackendFleet fleet)
{
    /// <summary>Slots assumed per loaded model when a backend's /metrics does not say (Ollama's default parallel).</summary>
    public const int DefaultSlots = 4;

    public BackendChoice? Pick(RequestSummary request, IReadOnlyCollection<Backend> exclude)
    {
        var candidates = fleet.All.Where(b => b.IsAvailable && !exclude.Contains(b)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var key = request.ModelKey;
        var free = candidates.Where(b => HasFreeSlot(b, key)).ToList();
        if (free.Count > 0)
        {
            return new BackendChoice(Preferred(free, request), RoutingDecision.Loaded);
        }

        var holding = candidates.Where(b => b.View.OnDisk.Contains(key) || b.View.Loaded.ContainsKey(key)).ToList();
        if (holding.Count > 0)
        {
            return new BackendChoice(LeastLoaded(holding, request), RoutingDecision.OnDisk);
        }

        return new BackendChoice(LeastLoaded(candidates, request), RoutingDecision.LeastLoaded);
    }

    /// <summary>
    /// Loaded with a slot to spare: this gateway's requests in flight for the model now, plus the slots other clients
    /// held at the last check, is below the slots. (The check's own count would be stale both ways: it misses requests
    /// sent since, and still counts this gateway's requests that have ended.)
    /// </summary>
    public static bool HasFreeSlot(Backend backend, string modelKey)
    {
        if (!backend.View.Loaded.TryGetValue(modelKey, out var loaded))
        {
            return false;
        }

        var slots = loaded.Slots > 0 ? loaded.Slots : DefaultSlots;
        return loaded.OthersActive + backend.InFlightFor(modelKey) < slots;
    }

    /// <summary>
    /// How far above the average load a conversation's backend may be and still get its next turn (consistent hashing
    /// with bounded loads): under light load every turn goes to the same backend, under heavy load new work spreads.
    /// </summary>
    public const double LoadBound = 1.25;

    /// <summary>
    /// The conversation's backend by rendezvous hashing, unless it is busier than <see cref="LoadBound"/> times the
    /// average (counting this request); then the next in the conversation's order that is not.
    /// </summary>
    private static Backend Preferred(List<Backend> backends, RequestSummary request)
    {
        if (request.AffinityHash is not { } hash)
        {
            return LeastLoaded(backends, request);
        }

        var bound = (int)Math.Ceiling((backends.Sum(b => b.Load) + 1) * LoadBound / backends.Count);
        foreach (var backend in backends.OrderByDescending(b => Weight(hash, b.Name)))
        {
            if (backend.Load < bound)
            {
                return backend;
            }
        }

        return LeastLoaded(backends, request);
    }

    /// <summary>Least loaded; ties go by the affinity (or model) hash, so equal backends split work steadily.</summary>
    private static Backend LeastLoaded(List<Backend> backends, RequestSummary request)
    {
        var least = backends.Min(b => b.Load);
        var tied = backends.Where(b => b.Load == least).ToList();
        return tied.Count == 1 ? tied[0] : Rendezvous(tied, request.AffinityHash ?? RequestSummary.Hash(request.ModelKey));
    }

    private static Backend Rendezvous(List<Backend> backends, ulong hash) =>
        backends.MaxBy(b => Weight(hash, b.Name))!;

    private static ulong Weight(ulong hash, string name)
    {
        // FNV-1a over the backend name, mixed with the request's hash (SplitMix64 finalizer): stable across processes.
        var h = 14695981039346656037UL;
        foreach (var c in name)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        var x = h ^ hash;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
