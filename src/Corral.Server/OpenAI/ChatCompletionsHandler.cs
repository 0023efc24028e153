using System.Diagnostics;
using System.Text;
using Corral.Api.Ollama;
using Corral.Api.OpenAI;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI;

/// <summary><c>POST /v1/chat/completions</c>: translated to a native chat request and run through the <see cref="CompletionPreparer"/>.</summary>
internal static class ChatCompletionsHandler
{
    public static async Task HandleAsync(HttpContext http, CompletionPreparer preparer)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, OpenAIJsonContext.Default.ChatCompletionRequest).ConfigureAwait(false);
        var native = ChatTranslation.ToOllama(request);
        var count = SamplingTranslation.ChoiceCount(request.N);
        var bias = SamplingTranslation.LogitBias(request.LogitBias);
        var plan = preparer.PlanChat(native, started, new CompletionExtras
        {
            ToolCalls = ToolChoices.Requirement(request.ToolChoice, request.ParallelToolCalls),
            LogitBias = bias,
        });

        // n choices should differ unless the caller fixed the seed.
        Task<PreparedCompletion> PrepareAsync(int choice, CancellationToken cancellation) =>
            plan.StartAsync(cancellation, count > 1 && native.Options?.Seed is null ? Random.Shared.Next() : null);

        await using var first = await PrepareAsync(0, http.RequestAborted).ConfigureAwait(false);
        var id = ToolCallIds.NewCompletionId("chatcmpl-");
        var created = ToolCallIds.Now();
        var events = ChoiceRunner.RunAsync(first, count, PrepareAsync, http.RequestAborted);
        if (request.Stream)
        {
            await StreamAsync(http, request, events, new ChatChunkFactory(id, created, request.Model, count, native.Logprobs)).ConfigureAwait(false);
            return;
        }

        var choices = new ChoiceAccumulator[count];
        for (var i = 0; i < count; i++)
        {
            choices[i] = new ChoiceAccumulator();
        }

        var usage = new Usage();
        await foreach (var (choice, e) in events.ConfigureAwait(false))
        {
            choices[choice].Add(e, native.Logprobs, usage);
        }

        usage.TotalTokens = usage.PromptTokens + usage.CompletionTokens;
        await JsonResponse.WriteAsync(http, new ChatCompletion
        {
            Id = id,
            Created = created,
            Model = request.Model,
            Choices = choices.Select((c, i) => c.ToChoice(i)).ToList(),
            Usage = usage,
        }, OpenAIJsonContext.Wire.ChatCompletion).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext http, ChatCompletionRequest request, IAsyncEnumerable<ChoiceEvent> events, ChatChunkFactory factory)
    {
        using var sse = new SseStream(http);
        var count = SamplingTranslation.ChoiceCount(request.N);
        for (var i = 0; i < count; i++)
        {
            sse.Write(factory.RoleChunk(i), OpenAIJsonContext.Wire.ChatCompletionChunk);
        }

        await sse.FlushAsync().ConfigureAwait(false);
        var usage = new Usage();
        var chunks = new List<ChatCompletionChunk>(2);
        try
        {
            await foreach (var (choice, e) in events.ConfigureAwait(false))
            {
                if (e.Final is { } final)
                {
                    AddUsage(usage, final);
                }

                chunks.Clear();
                factory.Translate(choice, e, chunks);
                foreach (var chunk in chunks)
                {
                    sse.Write(chunk, OpenAIJsonContext.Wire.ChatCompletionChunk);
                }

                if (chunks.Count > 0)
                {
                    await sse.FlushAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            var (status, message) = ErrorHandlingMiddleware.MapStreamFailure(http, ex);
            await sse.WriteErrorAsync(status, message).ConfigureAwait(false);
            return;
        }

        if (request.StreamOptions?.IncludeUsage == true)
        {
            usage.TotalTokens = usage.PromptTokens + usage.CompletionTokens;
            sse.Write(factory.UsageChunk(usage), OpenAIJsonContext.Wire.ChatCompletionChunk);
        }

        await sse.WriteDoneAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The prompt is counted once (all choices share it; the cached part is the first finished choice's, as later
    /// ones may have found the prompt cached by an earlier one); completion tokens add up over choices.
    /// </summary>
    internal static void AddUsage(Usage usage, Runner.Protocol.CompletionChunk final)
    {
        usage.PromptTokens = Math.Max(usage.PromptTokens, final.PromptEvalCount);
        usage.PromptTokensDetails ??= new PromptTokensDetails { CachedTokens = final.CachedTokens };
        usage.CompletionTokens += final.EvalCount;
    }

    private sealed class ChoiceAccumulator
    {
        private readonly StringBuilder _content = new();
        private readonly StringBuilder _reasoning = new();
        private readonly List<OpenAIToolCall> _toolCalls = [];
        private readonly List<ChatTokenLogprob> _logprobs = [];
        private string? _finishReason;

        public void Add(CompletionEvent e, bool logprobs, Usage usage)
        {
            switch (e.Kind)
            {
                case CompletionEventKind.Content:
                    _content.Append(e.Text);
                    if (logprobs)
                    {
                        LogprobTranslation.AddChat(e.Logprobs, _logprobs);
                    }

                    break;
                case CompletionEventKind.Thinking:
                    _reasoning.Append(e.Text);
                    break;
                case CompletionEventKind.ToolCall:
                    _toolCalls.Add(new OpenAIToolCall
                    {
                        Id = ToolCallIds.NewCallId(),
                        Function = new OpenAIFunctionCall { Name = e.ToolCall!.Name, Arguments = e.ToolCall.ArgumentsJson },
                    });
                    break;
                case CompletionEventKind.Done:
                    AddUsage(usage, e.Final!);
                    _finishReason = ChatChunkFactory.FinishReason(e.Final!.DoneReason, _toolCalls.Count > 0);
                    break;
            }
        }

        public ChatChoice ToChoice(int index)
        {
            var reasoning = _reasoning.Length > 0 ? _reasoning.ToString() : null;
            return new ChatChoice
            {
                Index = index,
                Message = new ChatMessage
                {
                    Role = "assistant",
                    Content = _content.Length == 0 && _toolCalls.Count > 0 ? null : new ChatContent(_content.ToString()),
                    Reasoning = reasoning,
                    ReasoningContent = reasoning,
                    ToolCalls = _toolCalls.Count > 0 ? _toolCalls : null,
                },
                FinishReason = _finishReason ?? "stop",
                Logprobs = _logprobs.Count > 0 ? new ChatLogprobs { Content = _logprobs } : null,
            };
        }
    }
}
