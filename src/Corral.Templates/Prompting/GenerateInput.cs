namespace Corral.Templates.Prompting;

/// <summary>The parts of a generate request (and of the model) that shape its prompt.</summary>
public sealed class GenerateInput
{
    public string Prompt { get; init; } = "";

    public string Suffix { get; init; } = "";

    /// <summary>The request's system prompt; overrides the model's SYSTEM when set.</summary>
    public string System { get; init; } = "";

    /// <summary>The Modelfile's SYSTEM.</summary>
    public string ModelSystem { get; init; } = "";

    /// <summary>The Modelfile's MESSAGE history, prepended unless the request carries a (deprecated) context.</summary>
    public IReadOnlyList<ChatMessage> ModelMessages { get; init; } = [];

    /// <summary>True when the request sent the deprecated "context" token array.</summary>
    public bool HasContext { get; init; }

    public int ImageCount { get; init; }

    /// <summary>raw: the prompt is used as is, no template.</summary>
    public bool Raw { get; init; }

    public ThinkValue? Think { get; init; }
}
