namespace Corral.Templates.Library;

/// <summary>
/// Corral's library of Go templates for common chat formats (Library/Templates/*.gotmpl, embedded), in the order the
/// matcher tries them.
/// </summary>
public static class KnownChatTemplates
{
    /// <summary>Every library template; a more specific variant comes after the plain format it extends.</summary>
    public static IReadOnlyList<KnownChatTemplate> All { get; } =
    [
        Load("chatml", "<|im_start|>"),
        Load("qwen3", "<|im_start|>", "enable_thinking"),
        Load("llama3", "<|start_header_id|>"),
        Load("llama3.1", "<|start_header_id|>", "Cutting Knowledge Date"),
        Load("llama2-chat", "[INST]", "<<SYS>>"),
        Load("mistral-v1", "[INST]"),
        Load("mistral-v3", "[INST]"),
        Load("mistral-v3-tekken", "[INST]"),
        Load("gemma", "<start_of_turn>"),
        Load("phi-3", "<|end|>"),
        Load("phi-4", "<|im_sep|>"),
        Load("zephyr", "<|assistant|>"),
        Load("command-r", "<|START_OF_TURN_TOKEN|>"),
        Load("granite3", "<|start_of_role|>"),
        Load("openchat", "GPT4 Correct"),
    ];

    /// <summary>The library template called <paramref name="name"/>, or null.</summary>
    public static KnownChatTemplate? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static KnownChatTemplate Load(string name, params string[] markers)
    {
        var resource = $"Corral.Templates.Library.{name}.gotmpl";
        using var stream = typeof(KnownChatTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"missing embedded template {resource}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new KnownChatTemplate(name, reader.ReadToEnd(), markers);
    }
}
