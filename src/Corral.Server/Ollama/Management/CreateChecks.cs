using System.Text.Json;
using Corral.Api.Ollama;
using Corral.Models.Creation;
using Corral.Templates.GoTemplates;
using Corral.Templates.Prompting;

namespace Corral.Server.Ollama.Management;

/// <summary>A create's template is checked with the Go template parser chat uses, its parameters as a request's options.</summary>
internal sealed class CreateChecks : ICreateChecks
{
    public static readonly CreateChecks Instance = new();

    private CreateChecks()
    {
    }

    public string? TemplateError(string text)
    {
        try
        {
            GoTemplate.Parse(text, "", OllamaTemplateFunctions.All);
            return null;
        }
        catch (TemplateParseException ex)
        {
            return ex.Message;
        }
    }

    public string? ParametersError(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        try
        {
            ModelOptions.FromMap(parameters);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
        }
    }
}
