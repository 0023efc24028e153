namespace Corral.Models.Modelfiles;

/// <summary>The value type of a PARAMETER, which decides how it is validated and written to JSON.</summary>
public enum ParameterKind
{
    Integer,
    Float,
    Boolean,

    /// <summary>Repeatable; every line adds one string (e.g. <c>stop</c>).</summary>
    StringArray,
}
