namespace Corral.Bench.Soak;

/// <summary>What one route did during the soak: requests, latencies of the good ones, errors by kind.</summary>
internal sealed class RouteStats(string route)
{
    private readonly List<double> _latenciesMs = [];
    private readonly Dictionary<string, int> _errors = new(StringComparer.Ordinal);

    public string Route { get; } = route;

    public int Count { get; private set; }

    public int ErrorCount { get; private set; }

    public void RecordSuccess(double latencyMs)
    {
        lock (_latenciesMs)
        {
            Count++;
            _latenciesMs.Add(latencyMs);
        }
    }

    public void RecordError(string kind)
    {
        lock (_latenciesMs)
        {
            Count++;
            ErrorCount++;
            _errors[kind] = _errors.GetValueOrDefault(kind) + 1;
        }
    }

    public double[] Latencies()
    {
        lock (_latenciesMs)
        {
            return [.. _latenciesMs];
        }
    }

    public IReadOnlyDictionary<string, int> Errors()
    {
        lock (_latenciesMs)
        {
            return new Dictionary<string, int>(_errors);
        }
    }
}
