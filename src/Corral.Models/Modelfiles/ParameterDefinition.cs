namespace Corral.Models.Modelfiles;

/// <summary>
/// A known PARAMETER name.
/// </summary>
/// <param name="Name">The option name, case-sensitive as in Ollama's API.</param>
/// <param name="Kind">Its value type.</param>
/// <param name="IsDeprecated">Accepted for old Modelfiles but ignored (Ollama prints a warning).</param>
public sealed record ParameterDefinition(string Name, ParameterKind Kind, bool IsDeprecated = false);
