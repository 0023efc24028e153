using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>
/// One chat message as Ollama's templates see it (fields .Role, .Content, .Thinking, .Images, .ToolCalls,
/// .ToolName, .ToolCallID).
/// </summary>
public sealed class ChatMessage : ITemplateObject
{
    private static readonly IReadOnlyList<ToolCall> NoToolCalls = [];
    private static readonly IReadOnlyList<byte[]> NoImages = [];

    public required string Role { get; init; }

    public string Content { get; init; } = "";

    public string Thinking { get; init; } = "";

    /// <summary>Raw image bytes; the renderer adds [img-N] tags to the content for them.</summary>
    public IReadOnlyList<byte[]> Images { get; init; } = NoImages;

    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = NoToolCalls;

    public string ToolName { get; init; } = "";

    public string ToolCallId { get; init; } = "";

    public static ChatMessage System(string content) => new() { Role = "system", Content = content };

    public static ChatMessage User(string content) => new() { Role = "user", Content = content };

    public static ChatMessage Assistant(string content) => new() { Role = "assistant", Content = content };

    public ChatMessage WithContent(string content) => new()
    {
        Role = Role,
        Content = content,
        Thinking = Thinking,
        Images = Images,
        ToolCalls = ToolCalls,
        ToolName = ToolName,
        ToolCallId = ToolCallId,
    };

    public string TypeName => "*template.templateMessage";

    public bool TryGetField(string name, out TemplateValue value)
    {
        switch (name)
        {
            case "Role": value = Role; return true;
            case "Content": value = Content; return true;
            case "Thinking": value = Thinking; return true;
            case "ToolName": value = ToolName; return true;
            case "ToolCallID": value = ToolCallId; return true;
            case "ToolCalls": value = ToolCalls.Count == 0 ? TemplateValue.Nil : TemplateValue.FromList(new ObjectList<ToolCall>(ToolCalls)); return true;
            case "Images": value = Images.Count == 0 ? TemplateValue.Nil : TemplateValue.FromList(new ImageList(Images)); return true;
            default: value = default; return false;
        }
    }

    public void WriteJson(GoJsonWriter writer)
    {
        var first = true;
        writer.WriteRaw("{");
        foreach (var field in (ReadOnlySpan<string>)["Role", "Content", "Thinking", "Images", "ToolCalls", "ToolName", "ToolCallID"])
        {
            TryGetField(field, out var value);
            writer.WritePropertyName(field, ref first);
            writer.WriteValue(value);
        }
        writer.WriteRaw("}");
    }

    public void Format(StringBuilder output)
    {
        TryGetField("Images", out var images);
        TryGetField("ToolCalls", out var toolCalls);
        GoStructs.FormatFields(output, true, Role, Content, Thinking, images.IsNil ? "[]" : images, toolCalls.IsNil ? "[]" : toolCalls, ToolName, ToolCallId);
    }

    /// <summary>Images as Go's []ImageData ([]byte) marshals them: base64 strings.</summary>
    private sealed class ImageList(IReadOnlyList<byte[]> images) : ITemplateList
    {
        public int Count => images.Count;

        public TemplateValue this[int index] => Convert.ToBase64String(images[index]);
    }
}
