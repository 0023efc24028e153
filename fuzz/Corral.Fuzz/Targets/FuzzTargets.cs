namespace Corral.Fuzz.Targets;

/// <summary>Every fuzz target, by name.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new GgufTarget(),
        new ModelfileTarget(),
        new GoTemplateTarget(),
        new JinjaTarget(),
        new JsonSchemaTarget(),
        new ImageTarget(),
        new ManifestTarget(),
    ];

    public static IFuzzTarget? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
