namespace Corral.Server.Tests.Observability;

/// <summary>One sample line: name, labels, value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
