namespace Corral.Models.Modelfiles;

/// <summary>The value type of a PARAMETER, which decides how it is validated and written to JSON.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifiers should not contain type names", Justification = "The enum lists the value types of Modelfile parameters; its members name types by design.")]
public enum ParameterKind
{
    Integer,
    Float,
    Boolean,

    /// <summary>Repeatable; every line adds one string (e.g. <c>stop</c>).</summary>
    StringArray,
}
