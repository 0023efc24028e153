namespace Corral.Api.Native;

/// <summary>The JSON type an entry of <see cref="ModelOptions"/> takes.</summary>
public enum OptionKind
{
    Integer,
    Float,
    Boolean,
    StringArray,
}
