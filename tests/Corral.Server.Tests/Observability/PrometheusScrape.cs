namespace Corral.Server.Tests.Observability;

/// <summary>A parsed exposition, with lookups by sample name and labels.</summary>
public sealed class PrometheusScrape(IReadOnlyDictionary<string, PrometheusFamily> families)
{
    public IReadOnlyDictionary<string, PrometheusFamily> Families { get; } = families;

    /// <summary>The value of the one sample named <paramref name="name"/> whose labels include all of <paramref name="labels"/>; 0 if none.</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        var matches = Families.Values.SelectMany(f => f.Samples)
            .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .ToList();
        return matches.Count switch
        {
            0 => 0,
            1 => matches[0].Value,
            _ => throw new InvalidOperationException($"{matches.Count} samples of {name} match"),
        };
    }
}
