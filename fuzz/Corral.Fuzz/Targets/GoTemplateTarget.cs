using Corral.Templates.GoTemplates;
using Corral.Templates.Prompting;

namespace Corral.Fuzz.Targets;

/// <summary>
/// A model's TEMPLATE (from a Modelfile, /api/create or a pulled template layer): parsed with Ollama's functions
/// and rendered for a short conversation, as every chat request does.
/// </summary>
public sealed class GoTemplateTarget : IFuzzTarget
{
    private static readonly ChatMessage[] Conversation =
    [
        ChatMessage.System("be brief"),
        ChatMessage.User("hi"),
        ChatMessage.Assistant("hello"),
        ChatMessage.User("why?"),
    ];

    public string Name => "gotemplate";

    public void Run(ReadOnlySpan<byte> data)
    {
        try
        {
            var template = OllamaTemplate.Parse(FuzzText.Decode(data));
            _ = PromptRenderer.RenderMessages(template, Conversation, tools: null, think: null);
        }
        catch (TemplateParseException)
        {
        }
        catch (TemplateExecutionException)
        {
        }
    }
}
