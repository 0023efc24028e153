using Corral.Api.Ollama;
using Corral.Server.Http;
using Corral.Server.Resolution;
using Corral.Templates.GoTemplates;
using Corral.Templates.Parsing;
using Corral.Templates.Prompting;
using ThinkValue = Corral.Api.Ollama.ThinkValue;

namespace Corral.Server.Inference;

/// <summary>Renders prompts with a model's Go template (or a request's own), as Ollama's server does.</summary>
public static class PromptBuilder
{
    /// <summary>The template a model without one uses, as in Ollama.</summary>
    internal const string PlainTemplate = "{{ .Prompt }}";

    public static OllamaTemplate TemplateFor(ResolvedModel model, string? requestTemplate)
    {
        var text = !string.IsNullOrEmpty(requestTemplate) ? requestTemplate : model.Template ?? PlainTemplate;
        try
        {
            return OllamaTemplate.Parse(text);
        }
        catch (TemplateParseException ex)
        {
            throw ApiException.BadRequest($"template error: {ex.Message}");
        }
    }

    /// <summary>The GGUF's own Jinja chat template, used when neither the request nor the model has a Go template.</summary>
    public static string? JinjaTemplateFor(ResolvedModel model, string? requestTemplate) =>
        string.IsNullOrEmpty(requestTemplate) && model.Template is null && model.Gguf.TryGetString(Corral.Models.Gguf.GgufKeys.ChatTemplate, out var jinja) && jinja.Length > 0
            ? jinja
            : null;

    /// <param name="model">The resolved model.</param>
    /// <param name="request">The generate request as received.</param>
    /// <param name="think">The request's thinking as the model will honour it (<see cref="CompletionPreparer"/> decides).</param>
    /// <param name="cancellation">Stops a chat-template (Jinja) render when the client goes away.</param>
    public static string RenderGenerate(ResolvedModel model, GenerateRequest request, ThinkValue? think, CancellationToken cancellation = default)
    {
        if (!request.Raw && string.IsNullOrEmpty(request.Suffix) && JinjaTemplateFor(model, request.Template) is { } jinja)
        {
            var messages = new List<Message>();
            var system = request.System ?? model.System;
            if (!string.IsNullOrEmpty(system))
            {
                messages.Add(new Message { Role = "system", Content = system });
            }

            var tags = string.Concat(Enumerable.Range(0, request.Images?.Count ?? 0).Select(i => $"[img-{i}]"));
            messages.Add(new Message { Role = "user", Content = tags + (request.Prompt ?? string.Empty) });
            return JinjaPrompts.Render(jinja, messages, null, think, TemplateTokens.For(model, jinja), cancellation);
        }

        var template = TemplateFor(model, request.Template);
        try
        {
            return PromptRenderer.RenderGenerate(template, new GenerateInput
            {
                Prompt = request.Prompt ?? string.Empty,
                Suffix = request.Suffix ?? string.Empty,
                System = request.System ?? string.Empty,
                ModelSystem = model.System ?? string.Empty,
                ModelMessages = model.Messages.Select(TemplateMapping.Message).ToList(),
                HasContext = request.Context is { Count: > 0 },
                ImageCount = request.Images?.Count ?? 0,
                Raw = request.Raw,
                Think = TemplateMapping.Think(think),
            });
        }
        catch (TemplateExecutionException ex)
        {
            throw ApiException.BadRequest($"template error: {ex.Message}");
        }
    }

    /// <summary>How to split this model's output: thinking when asked for, tool calls in the template's syntax.</summary>
    public static OutputParserOptions ParserOptions(ResolvedModel model, string prompt, IReadOnlyList<Corral.Api.Ollama.Tool>? tools, Corral.Api.Ollama.ThinkValue? think)
    {
        var thinking = think is { IsEnabled: true };
        var options = new OutputParserOptions
        {
            ParseThinking = thinking,
            StartInThinking = thinking && OutputParserOptions.PromptOpensThinking(prompt),
            ToolNames = tools is { Count: > 0 } ? tools.Select(t => t.Function.Name).ToHashSet(StringComparer.Ordinal) : null,
        };
        if (tools is not { Count: > 0 })
        {
            return thinking ? options : OutputParserOptions.PassThrough;
        }

        return JinjaTemplateFor(model, null) is { } jinja
            ? ToolCallSyntax.FromJinjaTemplate(jinja, options)
            : ToolCallSyntax.FromGoTemplate(model.Template ?? string.Empty, options);
    }

    /// <summary>Where a kept suffix may start: never inside a block of tool results, which stay with the turn that called the tools.</summary>
    private static int ToolBlockStart(List<Message> messages, int index)
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
        return assistant >= 0 && messages[assistant].Role == "assistant" && messages[assistant].ToolCalls is { Count: > 0 } ? assistant : index;
    }

    /// <summary>The system messages before <paramref name="start"/>, then every message from it on (a new list).</summary>
    private static List<Message> KeepFrom(List<Message> messages, int start)
    {
        var kept = new List<Message>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            if (i >= start || messages[i].Role == "system")
            {
                kept.Add(messages[i]);
            }
        }

        return kept;
    }

    /// <summary>
    /// Replaces each message that has images by a copy whose content carries <c>[img-N]</c> tags (in a
    /// "[img]" placeholder, else before the text; N counts across the conversation), as the Go-template
    /// path does; returns the images in tag order.
    /// </summary>
    private static List<byte[]> TagImages(List<Message> messages)
    {
        var images = new List<byte[]>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Images is not { Count: > 0 } own)
            {
                continue;
            }

            var content = message.Content ?? string.Empty;
            var prefix = string.Empty;
            foreach (var image in own)
            {
                var tag = $"[img-{images.Count}]";
                images.Add(image);
                var at = content.IndexOf("[img]", StringComparison.Ordinal);
                if (at < 0)
                {
                    prefix += tag;
                }
                else
                {
                    content = string.Concat(content.AsSpan(0, at), tag, content.AsSpan(at + 5));
                }
            }

            messages[i] = new Message
            {
                Role = message.Role,
                Content = prefix + content,
                Thinking = message.Thinking,
                Images = message.Images,
                ToolCalls = message.ToolCalls,
                ToolName = message.ToolName,
                ToolCallId = message.ToolCallId,
            };
        }

        return images;
    }

    /// <summary>
    /// Renders a whole chat: Modelfile SYSTEM and MESSAGEs first (as Ollama prepends them), then the request's
    /// messages, with <paramref name="think"/> as the model will honour it; <paramref name="cancellation"/> stops a
    /// chat-template (Jinja) render when the client goes away.
    /// </summary>
    public static ChatPrompt RenderChat(ResolvedModel model, ChatRequest request, ThinkValue? think, CancellationToken cancellation = default)
    {
        var chat = ChatParts(model, request);
        return chat.Jinja is { } jinja
            ? RenderJinjaFrom(model, request, think, jinja, chat.JinjaMessages!, 0, cancellation)
            : RenderGo(() => PromptRenderer.RenderFrom(chat.Template!, chat.GoMessages!, 0, TemplateMapping.Tools(request.Tools), TemplateMapping.Think(think)));
    }

    /// <summary>
    /// <see cref="RenderChat"/> without the oldest turns that don't fit <paramref name="contextLength"/> (Ollama's
    /// chatPrompt rule: system messages, the last message and a tool-calling turn with its results are kept), each
    /// candidate measured by <paramref name="tokenize"/> (the runner's tokenizer) plus each image's positions as
    /// <paramref name="imageTokens"/> says (the model's projector). Only candidates that can change the answer are
    /// rendered and measured: not the whole conversation when <paramref name="whole"/> says it does not fit, not a
    /// start that keeps the same messages as the one before, not the last start (taken whether it fits or not). Each
    /// rendering of a huge conversation is as large as the conversation.
    /// </summary>
    /// <param name="model">The resolved model.</param>
    /// <param name="request">The chat request as received.</param>
    /// <param name="think">The request's thinking as the model will honour it.</param>
    /// <param name="tokenize">A candidate's tokens (the runner's tokenizer; past the context it may stop early).</param>
    /// <param name="contextLength">num_ctx.</param>
    /// <param name="imageTokens">The positions an image takes; null counts images as nothing.</param>
    /// <param name="whole">The whole conversation's length in positions, when the caller measured it already.</param>
    /// <param name="cancellation">Stops the counting.</param>
    /// <returns>The prompt, with the tokens it was measured as when those are all of it (a chat without images).</returns>
    public static async Task<FittedChatPrompt> RenderChatToFitAsync(
        ResolvedModel model, ChatRequest request, ThinkValue? think, Func<string, CancellationToken, Task<int[]>> tokenize, int contextLength,
        Func<byte[], int>? imageTokens, int? whole, CancellationToken cancellation)
    {
        var chat = ChatParts(model, request);
        List<int> starts;
        Func<int, string> candidate;
        Func<int, int> candidateImages;
        Func<int, ChatPrompt> renderFrom;
        if (chat.Jinja is { } jinja)
        {
            var all = chat.JinjaMessages!;
            var tokens = TemplateTokens.For(model, jinja);
            starts = PromptRenderer.TruncationStarts(all.Count, i => all[i].Role == "system", i => ToolBlockStart(all, i));
            candidate = start => JinjaPrompts.Render(jinja, KeepFrom(all, start), request.Tools, think, tokens, cancellation);
            candidateImages = start => TagImages(KeepFrom(all, start)).Sum(image => imageTokens?.Invoke(image) ?? 0);
            renderFrom = start => RenderJinjaFrom(model, request, think, jinja, all, start, cancellation);
        }
        else
        {
            var messages = chat.GoMessages!;
            var template = chat.Template!;
            var tools = TemplateMapping.Tools(request.Tools);
            var mappedThink = TemplateMapping.Think(think);
            starts = PromptRenderer.TruncationStarts(messages);
            candidate = start => RenderGo(() => PromptRenderer.RenderMessages(template, PromptRenderer.SuffixKeepingSystem(messages, start), tools, mappedThink));
            candidateImages = start => messages.Skip(start).SelectMany(m => m.Images).Sum(image => imageTokens?.Invoke(image) ?? 0);
            renderFrom = start => RenderGo(() => PromptRenderer.RenderFrom(template, messages, start, tools, mappedThink));
        }

        // Without images a candidate is the prompt itself (no [img-N] tags to add): the one that fits is not rendered
        // again, and its tokens, when they are all of it, go to the runner instead of the text.
        var withImages = (request.Messages ?? []).Any(m => m.Images is { Count: > 0 });
        for (var k = 0; k < starts.Count - 1; k++)
        {
            var start = starts[k];
            if (k == 0 && whole is { } known)
            {
                if (known <= contextLength)
                {
                    return new FittedChatPrompt(renderFrom(start), null);
                }

                continue;
            }

            var text = candidate(start);
            var ids = await tokenize(text, cancellation).ConfigureAwait(false);
            if (ids.Length + candidateImages(start) <= contextLength)
            {
                return withImages ? new FittedChatPrompt(renderFrom(start), null) : new FittedChatPrompt(new ChatPrompt(text, [], start), ids);
            }
        }

        return new FittedChatPrompt(renderFrom(starts.Count > 0 ? starts[^1] : 0), null);
    }

    /// <summary>The messages a chat renders, in the form its template takes (Jinja messages or Go template ones).</summary>
    private static (string? Jinja, List<Message>? JinjaMessages, OllamaTemplate? Template, List<ChatMessage>? GoMessages) ChatParts(ResolvedModel model, ChatRequest request)
    {
        var requestMessages = request.Messages ?? [];
        if (JinjaTemplateFor(model, null) is { } jinja)
        {
            var all = new List<Message>();
            if (!string.IsNullOrEmpty(model.System) && !requestMessages.Any(m => m.Role == "system"))
            {
                all.Add(new Message { Role = "system", Content = model.System });
            }

            all.AddRange(model.Messages.Select(m => new Message { Role = m.Role, Content = m.Content }));
            all.AddRange(requestMessages);
            return (jinja, all, null, null);
        }

        var messages = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(model.System) && !requestMessages.Any(m => m.Role == "system"))
        {
            messages.Add(ChatMessage.System(model.System));
        }

        messages.AddRange(model.Messages.Select(TemplateMapping.Message));
        messages.AddRange(requestMessages.Select(TemplateMapping.Message));
        return (null, null, TemplateFor(model, null), messages);
    }

    private static ChatPrompt RenderJinjaFrom(ResolvedModel model, ChatRequest request, ThinkValue? think, string jinja, List<Message> all, int first, CancellationToken cancellation)
    {
        var kept = KeepFrom(all, first);
        var images = TagImages(kept);
        return new ChatPrompt(JinjaPrompts.Render(jinja, kept, request.Tools, think, TemplateTokens.For(model, jinja), cancellation), images, first);
    }

    /// <summary>A Go template that fails while rendering is the request's (or the Modelfile's) fault: a 400 in Ollama's words.</summary>
    private static T RenderGo<T>(Func<T> render)
    {
        try
        {
            return render();
        }
        catch (TemplateExecutionException ex)
        {
            throw ApiException.BadRequest($"template error: {ex.Message}");
        }
    }
}
