using System.Diagnostics;
using System.Text;
using Corral.Api.Ollama;
using Corral.Runner.Client;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Corral.Templates.Parsing;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Inference;

/// <summary><c>POST /api/chat</c>.</summary>
internal static class ChatHandler
{
    public static async Task HandleAsync(HttpContext http, CompletionPreparer preparer)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Wire.ChatRequest).ConfigureAwait(false);
        var plan = preparer.PlanChat(request, started);
        if (plan.Kind == CompletionPlanKind.LoadOrUnload)
        {
            await LoadOrUnloadAsync(http, request, plan, started).ConfigureAwait(false);
            return;
        }

        if (plan.Kind == CompletionPlanKind.RenderOnly)
        {
            var (prompt, images) = plan.Render();
            await JsonResponse.WriteAsync(http, new ChatResponse
            {
                Model = request.Model,
                CreatedAt = DateTimeOffset.UtcNow,
                Message = new Message { Role = "assistant" },
                Done = true,
                DebugInfo = new DebugInfo { RenderedTemplate = prompt, ImageCount = images },
            }, OllamaJsonContext.Wire.ChatResponse).ConfigureAwait(false);
            return;
        }

        await using var prepared = await plan.StartAsync(http.RequestAborted).ConfigureAwait(false);
        using var stream = new NdjsonResponse(http);
        var streaming = request.IsStreaming;
        var content = new StringBuilder();
        var thinking = new StringBuilder();
        var toolCalls = new List<ToolCall>();
        var logprobs = new List<Logprob>();
        try
        {
            await foreach (var e in prepared.EventsAsync(http.RequestAborted).ConfigureAwait(false))
            {
                if (e.Kind == CompletionEventKind.Done)
                {
                    var chunk = e.Final!;
                    var final = new ChatResponse
                    {
                        Model = request.Model,
                        CreatedAt = DateTimeOffset.UtcNow,
                        Message = streaming
                            ? new Message { Role = "assistant" }
                            : new Message { Role = "assistant", Content = content.ToString(), Thinking = thinking.ToString(), ToolCalls = toolCalls },
                        Logprobs = streaming ? null : logprobs,
                        Done = true,
                        DoneReason = chunk.DoneReason,
                        TotalDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds,
                        LoadDuration = prepared.Lease.LoadDurationSince(started),
                        PromptEvalCount = chunk.PromptEvalCount,
                        PromptEvalDuration = chunk.PromptEvalDuration,
                        EvalCount = chunk.EvalCount,
                        EvalDuration = chunk.EvalDuration,
                    };
                    if (streaming)
                    {
                        await stream.WriteAsync(final, OllamaJsonContext.Wire.ChatResponse).ConfigureAwait(false);
                    }
                    else
                    {
                        await JsonResponse.WriteAsync(http, final, OllamaJsonContext.Wire.ChatResponse).ConfigureAwait(false);
                    }

                    continue;
                }

                if (!streaming)
                {
                    Accumulate(e, content, thinking, toolCalls, logprobs);
                    continue;
                }

                var message = new Message { Role = "assistant" };
                switch (e.Kind)
                {
                    case CompletionEventKind.Thinking:
                        message.Thinking = e.Text;
                        break;
                    case CompletionEventKind.ToolCall:
                        message.ToolCalls = [ToWire(e.ToolCall!)];
                        break;
                    default:
                        message.Content = e.Text;
                        break;
                }

                await stream.WriteAsync(new ChatResponse
                {
                    Model = request.Model,
                    CreatedAt = DateTimeOffset.UtcNow,
                    Message = message,
                    Logprobs = LogprobMapping.Map(e.Logprobs),
                }, OllamaJsonContext.Wire.ChatResponse).ConfigureAwait(false);
            }
        }
        catch (RunnerException ex) when (stream.Started)
        {
            await stream.WriteErrorAsync(ex.Message).ConfigureAwait(false);
        }
    }

    private static void Accumulate(CompletionEvent e, StringBuilder content, StringBuilder thinking, List<ToolCall> toolCalls, List<Logprob> logprobs)
    {
        switch (e.Kind)
        {
            case CompletionEventKind.Thinking:
                thinking.Append(e.Text);
                break;
            case CompletionEventKind.ToolCall:
                toolCalls.Add(ToWire(e.ToolCall!));
                break;
            default:
                content.Append(e.Text);
                logprobs.AddRange(LogprobMapping.Map(e.Logprobs) ?? []);
                break;
        }
    }

    internal static ToolCall ToWire(ParsedToolCall call) => new()
    {
        Function = new ToolCallFunction { Index = call.Index, Name = call.Name, Arguments = call.Arguments },
    };

    private static async Task LoadOrUnloadAsync(HttpContext http, ChatRequest request, CompletionPlan plan, long started)
    {
        var reason = await plan.LoadOrUnloadAsync(http.RequestAborted).ConfigureAwait(false);
        await JsonResponse.WriteAsync(http, new ChatResponse
        {
            Model = request.Model,
            CreatedAt = DateTimeOffset.UtcNow,
            Message = new Message { Role = "assistant" },
            Done = true,
            DoneReason = reason,
            TotalDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds,
        }, OllamaJsonContext.Wire.ChatResponse).ConfigureAwait(false);
    }
}
