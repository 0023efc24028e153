using System.Text;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>Input content: a plain string or parts (input_text, output_text, input_image, ...). Writes back in the form it came in.</summary>
[JsonConverter(typeof(ResponsesContentJsonConverter))]
public sealed class ResponsesContent
{
    public ResponsesContent(string text) => Text = text;

    public ResponsesContent(IReadOnlyList<ResponsesContentPart> parts) => Parts = parts;

    /// <summary>Set when the content was a string.</summary>
    public string? Text { get; }

    /// <summary>Set when the content was an array of parts.</summary>
    public IReadOnlyList<ResponsesContentPart>? Parts { get; }

    /// <summary>The text of all text parts, concatenated (as Ollama joins them).</summary>
    public string JoinedText()
    {
        if (Text is not null)
        {
            return Text;
        }

        var builder = new StringBuilder();
        foreach (var part in Parts!)
        {
            if (part.Type is "input_text" or "output_text" or "text")
            {
                builder.Append(part.Text);
            }
        }

        return builder.ToString();
    }

    public static implicit operator ResponsesContent(string text) => new(text);
}
