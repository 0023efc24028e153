using Corral.Templates.Prompting;

namespace Corral.Templates.Library;

/// <summary>One conversation the matcher renders with both the Jinja template and a library candidate.</summary>
internal sealed class ChatTemplateProbe
{
    private const string System = "You are a careful assistant.";
    private const string Question = "What is the capital of France?";
    private const string Answer = "Paris.";
    private const string FollowUp = "And of Italy?";

    private ChatTemplateProbe(string name, ChatMessage[] messages, ThinkValue? think = null)
    {
        Name = name;
        Messages = messages;
        Think = think;
    }

    /// <summary>
    /// System + user; user alone; a follow-up after an answer, without and with a system message (where a format
    /// puts the system text depends on it: first turn, last turn or a block of its own); user with thinking turned
    /// off (formats that switch reasoning with enable_thinking differ from their plain relatives only there).
    /// Contents have no surrounding whitespace, so templates that trim them render the same.
    /// </summary>
    public static IReadOnlyList<ChatTemplateProbe> All { get; } =
    [
        new("system and user", [ChatMessage.System(System), ChatMessage.User(Question)]),
        new("user", [ChatMessage.User(Question)]),
        new("follow-up", [ChatMessage.User(Question), ChatMessage.Assistant(Answer), ChatMessage.User(FollowUp)]),
        new("system and follow-up", [ChatMessage.System(System), ChatMessage.User(Question), ChatMessage.Assistant(Answer), ChatMessage.User(FollowUp)]),
        new("user, thinking off", [ChatMessage.User(Question)], ThinkValue.FromBool(false)),
    ];

    public string Name { get; }

    public IReadOnlyList<ChatMessage> Messages { get; }

    public ThinkValue? Think { get; }

    /// <summary>Whether an assistant turn is followed by another user turn (how turns are closed and reopened).</summary>
    public bool IsMultiTurn => Messages.Any(m => m.Role == "assistant");

    /// <summary>The messages as Hugging Face passes them to a chat template (fresh objects: a template may change them).</summary>
    public List<Dictionary<string, object?>> JinjaMessages() =>
        Messages.Select(m => new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = m.Role, ["content"] = m.Content }).ToList();

    public override string ToString() => Name;
}
