namespace Corral.Templates.Jinja;

/// <summary>
/// The variables Hugging Face passes to a chat template. Messages and tools may be JsonElement/JsonNode straight
/// from the request, or lists of dictionaries (see <see cref="JinjaValues.From"/>).
/// </summary>
public sealed class JinjaChatInput
{
    public required object? Messages { get; init; }

    /// <summary>Tool definitions ({"type":"function","function":{...}}); null renders as None, as HF passes it.</summary>
    public object? Tools { get; init; }

    public bool AddGenerationPrompt { get; init; } = true;

    public string BosToken { get; init; } = "";

    public string EosToken { get; init; } = "";

    /// <summary>Passed as enable_thinking only when set: templates test "enable_thinking is defined".</summary>
    public bool? EnableThinking { get; init; }

    /// <summary>Further template kwargs (e.g. reasoning_effort, custom variables); they override the above.</summary>
    public IReadOnlyDictionary<string, object?>? Extra { get; init; }
}
