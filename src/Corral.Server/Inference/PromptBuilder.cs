using Corral.Api.Native;
using Corral.Server.Http;
using Corral.Server.Models;
using Corral.Templates.GoTemplates;
using Corral.Templates.Prompting;

namespace Corral.Server.Inference;

/// <summary>Renders prompts with a model's Go template (or a request's own), as Ollama's server does.</summary>
public sealed class PromptBuilder
{
    /// <summary>The template a model without one uses, as in Ollama.</summary>
    private const string PlainTemplate = "{{ .Prompt }}";

    public OllamaTemplate TemplateFor(ResolvedModel model, string? requestTemplate)
    {
        var text = !string.IsNullOrEmpty(requestTemplate) ? requestTemplate : model.Template ?? PlainTemplate;
        try
        {
            return OllamaTemplate.Parse(text);
        }
        catch (TemplateParseException ex)
        {
            throw ApiException.BadRequest($"template error: {ex.Message}");
        }
    }

    public string RenderGenerate(ResolvedModel model, GenerateRequest request)
    {
        var template = TemplateFor(model, request.Template);
        try
        {
            return PromptRenderer.RenderGenerate(template, new GenerateInput
            {
                Prompt = request.Prompt ?? string.Empty,
                Suffix = request.Suffix ?? string.Empty,
                System = request.System ?? string.Empty,
                ModelSystem = model.System ?? string.Empty,
                ModelMessages = model.Messages.Select(TemplateMapping.Message).ToList(),
                HasContext = request.Context is { Count: > 0 },
                ImageCount = request.Images?.Count ?? 0,
                Raw = request.Raw,
                Think = TemplateMapping.Think(request.Think),
            });
        }
        catch (TemplateExecutionException ex)
        {
            throw ApiException.BadRequest($"template error: {ex.Message}");
        }
    }

    /// <summary>
    /// Renders a chat: Modelfile SYSTEM and MESSAGEs first (as Ollama prepends them), then the request's
    /// messages; <paramref name="countTokens"/>, when given, drops the oldest turns that don't fit num_ctx.
    /// </summary>
    public ChatPrompt RenderChat(ResolvedModel model, ChatRequest request, Func<string, int>? countTokens, int contextLength)
    {
        var template = TemplateFor(model, null);
        var messages = new List<ChatMessage>();
        var requestMessages = request.Messages ?? [];
        if (!string.IsNullOrEmpty(model.System) && !requestMessages.Any(m => m.Role == "system"))
        {
            messages.Add(ChatMessage.System(model.System));
        }

        messages.AddRange(model.Messages.Select(TemplateMapping.Message));
        messages.AddRange(requestMessages.Select(TemplateMapping.Message));
        try
        {
            return PromptRenderer.BuildChatPrompt(template, messages, TemplateMapping.Tools(request.Tools), TemplateMapping.Think(request.Think), countTokens, contextLength);
        }
        catch (TemplateExecutionException ex)
        {
            throw ApiException.BadRequest($"template error: {ex.Message}");
        }
    }
}
