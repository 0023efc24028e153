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
            var tried = 0;
            foreach (var (start, candidate) in TruncationCandidates(template, messages, tools, think))
            {
                var length = countTokens(candidate);
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

                if (length <= contextLength || ++tried == messages.Count)
                {
                    first = start;
                    break;
                }
            }
        }
        return RenderFrom(template, messages, first, tools, think);
    }

    /// <summary>
    /// The prompts <see cref="BuildChatPrompt"/> measures, longest first, one per message (the last always fits by
    /// rule): where the kept messages start and the text they render to. For a caller that counts tokens
    /// asynchronously (the server asks the runner) and then renders the chosen start with <see cref="RenderFrom"/>.
    /// </summary>
    public static IEnumerable<(int Start, string Prompt)> TruncationCandidates(OllamaTemplate template, IReadOnlyList<ChatMessage> messages, IReadOnlyList<Tool>? tools, ThinkValue? think)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var start = ToolBlockStart(messages, i);
            yield return (start, RenderMessages(template, SuffixKeepingSystem(messages, start), tools, think));
        }
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
