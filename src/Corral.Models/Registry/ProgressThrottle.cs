namespace Corral.Models.Registry;

/// <summary>Reports one layer's byte progress at most once per interval (always the first and the last).</summary>
internal sealed class ProgressThrottle(Action<RegistryProgress> report, string status, string digest, long total, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _lastTick = long.MinValue;
    private long _lastCompleted = -1;

    public void Report(long completed)
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            var final = completed >= total;
            if (completed == _lastCompleted || (!final && _lastTick != long.MinValue && now - _lastTick < interval.TotalMilliseconds))
            {
                return;
            }

            _lastTick = now;
            _lastCompleted = completed;
            report(new RegistryProgress(status, digest, total, completed));
        }
    }
}
