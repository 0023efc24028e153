using System.Runtime.CompilerServices;
using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>
/// A model's TEMPLATE, parsed with Ollama's functions and executed the way Ollama's template package does:
/// a .Messages template renders once; a legacy template renders per System/Prompt/Response turn.
/// </summary>
public sealed class OllamaTemplate
{
    private static readonly GoTemplateCache Cache = new(256, OllamaTemplateFunctions.All);
    private static readonly ConditionalWeakTable<GoTemplate, OllamaTemplate> Wrappers = new();

    private GoTemplate? _legacyFinal;

    private OllamaTemplate(GoTemplate parsed)
    {
        var identifiers = parsed.Identifiers;
        UsesMessages = identifiers.Contains("messages");
        // Templates that never print the response get "{{ .Response }}" appended, as Ollama does.
        if (!UsesMessages && !identifiers.Contains("response"))
        {
            var root = parsed.Root.CopyList();
            root.Nodes.Add(ResponseAction());
            parsed = parsed.WithRoot(root);
        }
        Template = parsed;
    }

    /// <summary>Ollama's default template when a model has none.</summary>
    public static OllamaTemplate Default { get; } = Parse("{{ .Prompt }}");

    public GoTemplate Template { get; }

    public string Text => Template.Text;

    /// <summary>Whether the template mentions .Messages (and so renders a whole conversation at once).</summary>
    public bool UsesMessages { get; }

    /// <summary>Parses (or fetches from the shared, bounded cache) a template text.</summary>
    /// <exception cref="TemplateParseException">The text is not a valid template.</exception>
    public static OllamaTemplate Parse(string text)
    {
        var parsed = Cache.GetOrParse(text);
        return Wrappers.GetValue(parsed, p => new OllamaTemplate(p));
    }

    public string Render(PromptValues values)
    {
        var sb = new StringBuilder(Text.Length * 4);
        Execute(sb, values);
        return sb.ToString();
    }

    /// <exception cref="TemplateExecutionException">The template failed.</exception>
    public void Execute(StringBuilder output, PromptValues values)
    {
        var (system, messages) = Collate(values.Messages);
        var think = values.Think;
        if (values.Prompt.Length > 0 && values.Suffix.Length > 0)
        {
            var data = Root(think);
            data["Prompt"] = values.Prompt;
            data["Suffix"] = values.Suffix;
            data["Response"] = "";
            Template.Execute(output, TemplateValue.FromMap(data));
            return;
        }
        if (!values.ForceLegacy && UsesMessages)
        {
            var data = Root(think);
            data["System"] = system;
            data["Messages"] = TemplateValue.FromList(new ObjectList<ChatMessage>(messages));
            data["Tools"] = values.Tools is null ? TemplateValue.Nil : TemplateValue.FromList(new ToolList(values.Tools));
            data["Response"] = "";
            Template.Execute(output, TemplateValue.FromMap(data));
            return;
        }
        ExecuteLegacy(output, messages, think);
    }

    /// <summary>
    /// One render per turn: system, user prompt and assistant response fill the template; the final turn is rendered
    /// with everything after .Response cut so the assistant's reply stays open.
    /// </summary>
    private void ExecuteLegacy(StringBuilder output, List<ChatMessage> messages, ThinkValue? think)
    {
        string system = "", prompt = "", response = "";
        var start = output.Length;
        foreach (var message in messages)
        {
            switch (message.Role)
            {
                case "system":
                    if (prompt.Length > 0 || response.Length > 0)
                    {
                        Turn(Template);
                    }
                    system = message.Content;
                    break;
                case "user":
                    if (response.Length > 0)
                    {
                        Turn(Template);
                    }
                    prompt = message.Content;
                    break;
                case "assistant":
                    response = message.Content;
                    break;
            }
        }
        Turn(_legacyFinal ??= Template.WithRoot(ResponseCutter.CutAfterResponse(Template.Root)));

        void Turn(GoTemplate template)
        {
            var data = Root(think);
            data["System"] = system;
            data["Prompt"] = prompt;
            data["Response"] = response;
            try
            {
                template.Execute(output, TemplateValue.FromMap(data));
            }
            catch
            {
                output.Length = start;
                throw;
            }
            system = prompt = response = "";
        }
    }

    private static TemplateMap Root(ThinkValue? think)
    {
        var data = new TemplateMap();
        data["Think"] = think?.Enabled ?? false;
        data["ThinkLevel"] = think?.LevelText ?? "";
        data["IsThinkSet"] = think is not null;
        return data;
    }

    /// <summary>
    /// Ollama's collate: consecutive messages of one role (except tool) merge with "\n\n"; all system contents are
    /// also joined into .System.
    /// </summary>
    internal static (string System, List<ChatMessage> Messages) Collate(IReadOnlyList<ChatMessage> messages)
    {
        var system = new List<string>();
        var collated = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Role == "system")
            {
                system.Add(message.Content);
            }
            if (collated.Count > 0 && collated[^1].Role == message.Role && message.Role != "tool")
            {
                collated[^1] = collated[^1].WithContent(collated[^1].Content + "\n\n" + message.Content);
            }
            else
            {
                collated.Add(message);
            }
        }
        return (string.Join("\n\n", system), collated);
    }

    private static ActionNode ResponseAction()
    {
        var pipe = new PipeNode(0);
        var command = new CommandNode(0);
        command.Args.Add(new FieldNode(0, ["Response"]));
        pipe.Commands.Add(command);
        return new ActionNode(0, pipe);
    }
}
