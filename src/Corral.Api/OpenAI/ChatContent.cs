using System.Text;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Message content: plain text, or parts (text and image_url). Writes back in the form it came in.</summary>
[JsonConverter(typeof(ChatContentJsonConverter))]
public sealed class ChatContent
{
    public ChatContent(string text) => Text = text;

    public ChatContent(IReadOnlyList<ContentPart> parts) => Parts = parts;

    /// <summary>Set when the content was a plain string.</summary>
    public string? Text { get; }

    /// <summary>Set when the content was an array of parts.</summary>
    public IReadOnlyList<ContentPart>? Parts { get; }

    /// <summary>All text, parts concatenated (Ollama joins text parts).</summary>
    public string JoinedText()
    {
        if (Text is not null)
        {
            return Text;
        }

        var builder = new StringBuilder();
        foreach (var part in Parts!)
        {
            if (part.Type == "text")
            {
                builder.Append(part.Text);
            }
        }

        return builder.ToString();
    }

    public static implicit operator ChatContent(string text) => new(text);
}
