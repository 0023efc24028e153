using System.Diagnostics;

namespace Corral.Runner.Client;

/// <summary>
/// The variables a server reads (OLLAMA_*, CORRAL_*, HF_TOKEN...) and hands the children it starts (runners, the
/// quantizer, the device probe). <c>corral serve</c> uses <see cref="Process"/>: its own environment, read as it
/// always was, and inherited unchanged by its children. A server hosted inside another process (a test host) gets its
/// own set laid over that process's environment (<see cref="Over"/>), so two such servers with different settings can
/// live side by side in one process and each hands its runners what it read itself.
/// </summary>
public sealed class EnvironmentSource
{
    private readonly Dictionary<string, string?>? _overrides;

    private EnvironmentSource(Dictionary<string, string?>? overrides) => _overrides = overrides;

    /// <summary>This process's environment, as is.</summary>
    public static EnvironmentSource Process { get; } = new(null);

    /// <summary>True for <see cref="Process"/>: nothing is laid over the process's environment.</summary>
    public bool IsProcess => _overrides is null;

    /// <summary>
    /// This process's environment with <paramref name="overrides"/> laid over it; a null value removes that variable
    /// (for reads and for the children alike).
    /// </summary>
    public static EnvironmentSource Over(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            copy[name] = value;
        }

        return new(copy);
    }

    /// <summary>A variable's value, or null when it is unset.</summary>
    public string? Get(string name) =>
        _overrides is not null && _overrides.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

    /// <summary>Makes a child started with <paramref name="info"/> see these variables (it inherits the rest).</summary>
    public void ApplyTo(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (_overrides is null)
        {
            return;
        }

        foreach (var (name, value) in _overrides)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
    }
}
