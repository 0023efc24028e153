namespace Corral.Gateway.Fleet;

/// <summary>One request counted in flight on a backend (<see cref="Backend.Begin"/>); disposing ends it once.</summary>
public sealed class InFlightLease(Backend backend, string modelKey) : IDisposable
{
    private int _ended;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            backend.End(modelKey);
        }
    }
}
