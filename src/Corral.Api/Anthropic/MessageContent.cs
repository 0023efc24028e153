using System.Text;
using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>Content that may be a plain string or an array of <see cref="ContentBlock"/>s. Writes back in the form it came in.</summary>
[JsonConverter(typeof(MessageContentJsonConverter))]
public sealed class MessageContent
{
    public MessageContent(string text) => Text = text;

    public MessageContent(IReadOnlyList<ContentBlock> blocks) => Blocks = blocks;

    /// <summary>Set when the content was a plain string.</summary>
    public string? Text { get; }

    /// <summary>Set when the content was an array of blocks.</summary>
    public IReadOnlyList<ContentBlock>? Blocks { get; }

    /// <summary>
    /// The text blocks joined by a blank line: separate blocks are separate paragraphs to Anthropic's
    /// models, so gluing them together without a break would merge sentences.
    /// </summary>
    public string JoinedText()
    {
        if (Text is not null)
        {
            return Text;
        }

        var builder = new StringBuilder();
        foreach (var block in Blocks!)
        {
            if (block.Type == "text" && !string.IsNullOrEmpty(block.Text))
            {
                if (builder.Length > 0)
                {
                    builder.Append("\n\n");
                }

                builder.Append(block.Text);
            }
        }

        return builder.ToString();
    }
}
