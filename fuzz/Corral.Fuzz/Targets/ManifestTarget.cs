using Corral.Models.Registry;

namespace Corral.Fuzz.Targets;

/// <summary>
/// <see cref="ManifestValidator.Validate"/> on a registry's answer to a pull. <see cref="RegistryException"/> is its
/// only refusal; a manifest it accepts must also serialize back (the store writes it to disk).
/// </summary>
public sealed class ManifestTarget : IFuzzTarget
{
    private static readonly RegistryOptions Options = new();

    public string Name => "manifest";

    public void Run(ReadOnlySpan<byte> data)
    {
        try
        {
            var manifest = ManifestValidator.Validate(data, Options);
            _ = manifest.ToJsonBytes();
            _ = manifest.TotalSize;
        }
        catch (RegistryException)
        {
        }
    }
}
