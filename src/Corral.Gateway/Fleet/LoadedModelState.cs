namespace Corral.Gateway.Fleet;

/// <summary>
/// A model a backend has loaded, with its slots as that backend's /metrics last said (0 when it did not say), and how
/// many of the busy ones were this gateway's own requests at that moment (so they are not counted twice, nor after
/// they ended).
/// </summary>
public sealed record LoadedModelState(string Key, int Slots, int ActiveSlots, int OwnAtCheck = 0)
{
    /// <summary>Slots busy with other clients' requests at the last check.</summary>
    public int OthersActive => Math.Max(0, ActiveSlots - OwnAtCheck);
}
