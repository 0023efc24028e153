using System.Text.Json;

namespace Corral.Models.Creation;

/// <summary>
/// Checks of a create's text parts that need knowledge the store does not have (the template language, the option
/// names and types), so a model is never created that every request would refuse.
/// </summary>
public interface ICreateChecks
{
    /// <summary>Why <paramref name="text"/>, a Go template, does not parse, or null when it does.</summary>
    string? TemplateError(string text);

    /// <summary>Why <paramref name="parameters"/> are not valid options (an unknown name, a wrong type), or null.</summary>
    string? ParametersError(IReadOnlyDictionary<string, JsonElement> parameters);
}
