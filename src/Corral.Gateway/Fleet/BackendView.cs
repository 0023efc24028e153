using System.Text.Json;

namespace Corral.Gateway.Fleet;

/// <summary>
/// What the gateway last read from one backend (replaced whole at each refresh, never changed in place): whether it
/// answered, its loaded models and slots, the models on its disk, its queue depth, and the raw /api/ps and /api/tags
/// entries the union views are made of.
/// </summary>
public sealed record BackendView
{
    public static BackendView Unknown { get; } = new() { Up = false, Error = "not checked yet" };

    public bool Up { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset CheckedAt { get; init; }

    public IReadOnlyDictionary<string, LoadedModelState> Loaded { get; init; } = new Dictionary<string, LoadedModelState>();

    public IReadOnlySet<string> OnDisk { get; init; } = new HashSet<string>();

    /// <summary><c>corral_queue_depth</c>: requests waiting for a slot (or a load) on that backend, from every client.</summary>
    public int QueueDepth { get; init; }

    /// <summary>This gateway's requests in flight on the backend at the last check.</summary>
    public int OwnAtCheck { get; init; }

    /// <summary>Requests waiting plus slots busy at the last check, less this gateway's own: what other clients were doing.</summary>
    public int OthersBusy => Math.Max(0, QueueDepth + Loaded.Values.Sum(static l => l.ActiveSlots) - OwnAtCheck);

    public IReadOnlyList<JsonElement> PsEntries { get; init; } = [];

    public IReadOnlyList<JsonElement> TagEntries { get; init; } = [];
}
