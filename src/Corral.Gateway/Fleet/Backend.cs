using System.Collections.Concurrent;
using Corral.Gateway.Configuration;

namespace Corral.Gateway.Fleet;

/// <summary>
/// One corral server behind the gateway and what is known about it: the last <see cref="BackendView"/>, whether an
/// operator is draining it, and the requests this gateway has in flight on it (per model), which are fresher than any
/// poll.
/// </summary>
public sealed class Backend(BackendAddress address)
{
    private readonly ConcurrentDictionary<string, int> _inFlightByModel = new(StringComparer.Ordinal);
    private BackendView _view = BackendView.Unknown;
    private int _inFlight;
    private volatile bool _draining;

    public string Name => address.Name;

    public Uri BaseAddress => address.BaseAddress;

    /// <summary>The destination prefix YARP's forwarder takes (no trailing slash: the request path follows).</summary>
    public string DestinationPrefix { get; } = address.BaseAddress.GetLeftPart(UriPartial.Authority);

    public BackendView View => Volatile.Read(ref _view);

    public bool IsDraining => _draining;

    /// <summary>Up and not draining: may get new requests.</summary>
    public bool IsAvailable => View.Up && !_draining;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int InFlightFor(string modelKey) => _inFlightByModel.TryGetValue(modelKey, out var n) ? n : 0;

    public void SetDraining(bool draining) => _draining = draining;

    public void Update(BackendView view) => Volatile.Write(ref _view, view);

    /// <summary>
    /// A forward failed to connect or lost the connection before an answer: take the backend out now rather than at the
    /// next poll, which puts it back once it answers again.
    /// </summary>
    public void MarkDown(string reason) => Volatile.Write(ref _view, View with { Up = false, Error = reason });

    /// <summary>
    /// The load the router compares: this gateway's requests in flight now (exact) plus what other clients had the
    /// backend doing at the last check (its waiting requests and busy slots, less this gateway's own at that moment).
    /// </summary>
    public int Load => InFlight + View.OthersBusy;

    /// <summary>This gateway's requests in flight, in all and per model, taken just before a check.</summary>
    public (int Total, IReadOnlyDictionary<string, int> ByModel) InFlightSnapshot() =>
        (InFlight, new Dictionary<string, int>(_inFlightByModel, StringComparer.Ordinal));

    /// <summary>Counts a request in flight until the returned handle is disposed.</summary>
    public InFlightLease Begin(string modelKey)
    {
        Interlocked.Increment(ref _inFlight);
        _inFlightByModel.AddOrUpdate(modelKey, 1, static (_, n) => n + 1);
        return new InFlightLease(this, modelKey);
    }

    internal void End(string modelKey)
    {
        Interlocked.Decrement(ref _inFlight);
        _inFlightByModel.AddOrUpdate(modelKey, 0, static (_, n) => Math.Max(0, n - 1));
    }
}
