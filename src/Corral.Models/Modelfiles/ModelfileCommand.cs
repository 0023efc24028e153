namespace Corral.Models.Modelfiles;

/// <summary>
/// One instruction of a Modelfile.
/// </summary>
/// <param name="Kind">The instruction.</param>
/// <param name="Value">Its argument, unquoted (the content for MESSAGE, the value for PARAMETER).</param>
/// <param name="Name">The parameter name for PARAMETER, the role for MESSAGE, else null.</param>
/// <param name="Line">1-based line where the instruction starts; 0 when built in code.</param>
public sealed record ModelfileCommand(ModelfileCommandKind Kind, string Value, string? Name = null, int Line = 0)
{
    /// <summary>The instruction as a Modelfile line (or lines, for multi-line values) that parses back to it.</summary>
    public override string ToString() => Kind switch
    {
        ModelfileCommandKind.Parameter => $"PARAMETER {Name} {ModelfileQuoting.Quote(Value)}",
        ModelfileCommandKind.Message => $"MESSAGE {Name} {ModelfileQuoting.Quote(Value)}",
        _ => $"{Kind.ToString().ToUpperInvariant()} {ModelfileQuoting.Quote(Value)}",
    };
}
