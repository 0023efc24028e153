using System.Runtime.CompilerServices;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Corral.Templates.Library;

namespace Corral.Server.Ollama.Management;

/// <summary>
/// <c>template</c> in /api/show, which Ollama always sends and clients display and copy: the model's TEMPLATE layer;
/// else the library Go template its GGUF's Jinja chat template renders exactly like (what Ollama would have stored as
/// the layer at create time); else that Jinja text itself, since it is what Corral renders prompts with; else
/// <c>{{ .Prompt }}</c>. Worked out on the first show of each model version and kept with it, never for a chat.
/// </summary>
internal static class ShowTemplate
{
    private static readonly ConditionalWeakTable<ResolvedModel, string> Known = new();

    public static string For(ResolvedModel model) => model.Template ?? Known.GetValue(model, Work);

    private static string Work(ResolvedModel model)
    {
        if (PromptBuilder.JinjaTemplateFor(model, null) is not { } jinja)
        {
            return PromptBuilder.PlainTemplate;
        }

        var tokens = TemplateTokens.For(model, jinja);
        return ChatTemplateMatcher.Match(jinja, tokens.Bos, tokens.Eos)?.Text ?? jinja;
    }
}
