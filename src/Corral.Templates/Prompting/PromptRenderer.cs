namespace Corral.Templates.Prompting;

/// <summary>
/// Builds prompts the way Ollama's server does for /api/chat and /api/generate, on top of <see cref="OllamaTemplate"/>.
/// </summary>
public static class PromptRenderer
{
    /// <summary>Tokens Ollama charges per image when fitting a conversation into the context.</summary>
    public const int ImageTokens = 768;

    /// <summary>Renders messages (no image tagging, no truncation): one candidate in the context-fitting loop.</summary>
    public static string RenderMessages(OllamaTemplate template, IReadOnlyList<ChatMessage> messages, IReadOnlyList<Tool>? tools, ThinkValue? think) =>
        template.Render(new PromptValues { Messages = messages, Tools = tools, Think = think });

    /// <summary>
    /// Where a kept suffix may start when the wanted start is <paramref name="index"/>: never in the middle of a
    /// block of tool results, which stay with the assistant turn that called the tools.
    /// </summary>
    public static int ToolBlockStart(IReadOnlyList<ChatMessage> messages, int index)
    {
        if (index <= 0 || index >= messages.Count || messages[index].Role != "tool")
        {
            return index;
        }
        var start = index;
        while (start > 0 && messages[start - 1].Role == "tool")
        {
            start--;
        }
        var assistant = start - 1;
        return assistant >= 0 && messages[assistant].Role == "assistant" && messages[assistant].ToolCalls.Count > 0 ? assistant : index;
    }

    /// <summary>The system messages before <paramref name="start"/> followed by every message from it on.</summary>
    public static List<ChatMessage> SuffixKeepingSystem(IReadOnlyList<ChatMessage> messages, int start)
    {
        var result = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < start; i++)
        {
            if (messages[i].Role == "system")
            {
                result.Add(messages[i]);
            }
        }
        for (var i = start; i < messages.Count; i++)
        {
            result.Add(messages[i]);
        }
        return result;
    }

    /// <summary>
    /// Ollama's chatPrompt: drops the oldest messages (keeping system messages, the last message, and tool blocks
    /// whole) until the prompt fits <paramref name="contextLength"/> tokens, then tags images as [img-N] and renders.
    /// Pass a null <paramref name="countTokens"/> to keep every message. Images count <see cref="ImageTokens"/> each with
    /// <paramref name="countImages"/>, or what <paramref name="imageTokens"/> says for each (the projector's real count).
    /// </summary>
    public static ChatPrompt BuildChatPrompt(OllamaTemplate template, IReadOnlyList<ChatMessage> messages, IReadOnlyList<Tool>? tools,
        ThinkValue? think, Func<string, int>? countTokens = null, int contextLength = int.MaxValue, bool countImages = false,
        Func<byte[], int>? imageTokens = null)
    {
        var first = 0;
        if (countTokens is not null)
        {
            var starts = TruncationStarts(messages);
            first = starts.Count > 0 ? starts[^1] : 0;
            for (var k = 0; k < starts.Count - 1; k++)
            {
                var start = starts[k];
                var length = countTokens(RenderMessages(template, SuffixKeepingSystem(messages, start), tools, think));
                if (countImages || imageTokens is not null)
                {
                    for (var m = start; m < messages.Count; m++)
                    {
                        foreach (var image in messages[m].Images)
                        {
                            length += imageTokens?.Invoke(image) ?? ImageTokens;
                        }
                    }
                }

                if (length <= contextLength)
                {
                    first = start;
                    break;
                }
            }
        }
        return RenderFrom(template, messages, first, tools, think);
    }

    /// <summary>The starts <see cref="TruncationStarts(int, Func{int, bool}, Func{int, int})"/> gives for Go-template messages.</summary>
    public static List<int> TruncationStarts(IReadOnlyList<ChatMessage> messages) =>
        TruncationStarts(messages.Count, i => messages[i].Role == "system", i => ToolBlockStart(messages, i));

    /// <summary>
    /// Where the kept messages may start when a conversation is fitted into the context, longest conversation first:
    /// one start per message (moved back to the assistant turn of a tool block), without a start that keeps the same
    /// messages as the one before it (system messages are kept wherever the conversation starts). The first start
    /// that fits is taken, and the last one whether it fits or not (the last message is always kept): the last one
    /// is not worth measuring.
    /// </summary>
    /// <param name="count">How many messages there are.</param>
    /// <param name="isSystem">Whether a message is a system message.</param>
    /// <param name="toolBlockStart">Where a kept suffix may start when the wanted start is a message (see <see cref="ToolBlockStart"/>).</param>
    public static List<int> TruncationStarts(int count, Func<int, bool> isSystem, Func<int, int> toolBlockStart)
    {
        var starts = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var start = toolBlockStart(i);
            if (starts.Count > 0 && KeepsTheSame(starts[^1], start, isSystem))
            {
                continue;
            }

            starts.Add(start);
        }

        return starts;
    }

    /// <summary>Whether starting at <paramref name="later"/> keeps what starting at <paramref name="earlier"/> does: only system messages lie between.</summary>
    private static bool KeepsTheSame(int earlier, int later, Func<int, bool> isSystem)
    {
        for (var i = earlier; i < later; i++)
        {
            if (!isSystem(i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Renders the suffix from <paramref name="first"/> (plus earlier system messages) with [img-N] tags.</summary>
    public static ChatPrompt RenderFrom(OllamaTemplate template, IReadOnlyList<ChatMessage> messages, int first, IReadOnlyList<Tool>? tools, ThinkValue? think)
    {
        var kept = SuffixKeepingSystem(messages, first);
        var systemCount = kept.Count - (messages.Count - first);
        var images = new List<byte[]>();
        for (var k = systemCount; k < kept.Count; k++)
        {
            var message = kept[k];
            if (message.Images.Count == 0)
            {
                continue;
            }
            var prefix = new StringBuilder();
            var content = message.Content;
            foreach (var image in message.Images)
            {
                var tag = $"[img-{images.Count}]";
                images.Add(image);
                // A "[img]" placeholder in the text takes the tag in place; otherwise tags go before the text.
                var at = content.IndexOf("[img]", StringComparison.Ordinal);
                if (at < 0)
                {
                    prefix.Append(tag);
                }
                else
                {
                    content = string.Concat(content.AsSpan(0, at), tag, content.AsSpan(at + 5));
                }
            }
            kept[k] = message.WithContent(prefix + content);
        }
        var prompt = RenderMessages(template, kept, tools, think);
        return new ChatPrompt(prompt, images, first);
    }

    /// <summary>Ollama's generate prompt: raw bypasses the template; otherwise system, model messages, image tags, prompt.</summary>
    public static string RenderGenerate(OllamaTemplate template, GenerateInput input)
    {
        if (input.Raw)
        {
            return input.Prompt;
        }
        if (input.Suffix.Length > 0)
        {
            return template.Render(new PromptValues { Prompt = input.Prompt, Suffix = input.Suffix, Think = input.Think });
        }
        var messages = new List<ChatMessage>();
        if (input.System.Length > 0)
        {
            messages.Add(ChatMessage.System(input.System));
        }
        else if (input.ModelSystem.Length > 0)
        {
            messages.Add(ChatMessage.System(input.ModelSystem));
        }
        if (!input.HasContext)
        {
            messages.AddRange(input.ModelMessages);
        }
        for (var i = 0; i < input.ImageCount; i++)
        {
            messages.Add(ChatMessage.User($"[img-{i}]"));
        }
        messages.Add(ChatMessage.User(input.Prompt));
        return template.Render(new PromptValues { Messages = messages, Think = input.Think });
    }
}
