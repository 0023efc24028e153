namespace Corral.Models.Names;

/// <summary>The parts of a <see cref="ModelName"/>, each with its own validation rule.</summary>
public enum ModelNamePartKind
{
    Host,
    Namespace,
    Model,
    Tag,
}
