namespace Corral.Server.Tests.Observability;

/// <summary>A metric family: HELP, TYPE and its samples.</summary>
public sealed class PrometheusFamily(string name)
{
    public string Name { get; } = name;

    public string? Help { get; set; }

    public string? Type { get; set; }

    public List<PrometheusSample> Samples { get; } = [];
}
