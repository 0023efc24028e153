namespace Corral.Gateway.Fleet;

/// <summary>A model a backend has loaded, with its slots as that backend's /metrics last said (0 when it did not say).</summary>
public sealed record LoadedModelState(string Key, int Slots, int ActiveSlots);
