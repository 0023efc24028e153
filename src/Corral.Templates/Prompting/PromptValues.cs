namespace Corral.Templates.Prompting;

/// <summary>What a template is executed with (Ollama's template.Values).</summary>
public sealed class PromptValues
{
    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];

    public IReadOnlyList<Tool>? Tools { get; init; }

    public string Prompt { get; init; } = "";

    public string Suffix { get; init; } = "";

    /// <summary>The request's think value; null when the request did not set it.</summary>
    public ThinkValue? Think { get; init; }

    /// <summary>Renders through the per-turn System/Prompt/Response path even if the template uses .Messages (tests).</summary>
    public bool ForceLegacy { get; init; }
}
