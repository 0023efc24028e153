using Corral.Templates.Prompting;

namespace Corral.Templates.Library;

/// <summary>
/// One of Corral's Go templates for a common chat format (an Ollama-style TEMPLATE: a .Messages branch, and a
/// .System/.Prompt/.Response branch for the per-turn path), which a GGUF's Jinja chat template can be recognised as.
/// </summary>
public sealed class KnownChatTemplate
{
    private OllamaTemplate? _parsed;

    internal KnownChatTemplate(string name, string text, IReadOnlyList<string> markers)
    {
        Name = name;
        Text = text;
        Markers = markers;
    }

    /// <summary>Short name of the format, e.g. "chatml" or "llama3".</summary>
    public string Name { get; }

    /// <summary>The Go template text.</summary>
    public string Text { get; }

    /// <summary>
    /// Strings every Jinja template of this format spells out literally (its turn tokens): a source without them is
    /// not rendered for this candidate at all.
    /// </summary>
    internal IReadOnlyList<string> Markers { get; }

    internal OllamaTemplate Template => _parsed ??= OllamaTemplate.Parse(Text);

    public override string ToString() => Name;
}
