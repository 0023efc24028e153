using Corral.Gateway.Configuration;

namespace Corral.Gateway.Fleet;

/// <summary>The configured backends, in configuration order.</summary>
public sealed class BackendFleet(GatewaySettings settings)
{
    public IReadOnlyList<Backend> All { get; } = settings.Backends.Select(a => new Backend(a)).ToList();

    public Backend? Find(string name) => All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.Ordinal));
}
