using System.Diagnostics;
using System.Text;
using Corral.Api.Ollama;
using Corral.Runner.Client;
using Corral.Runner.Protocol;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Corral.Templates.Prompting;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Inference;

/// <summary><c>POST /api/generate</c>.</summary>
internal static class GenerateHandler
{
    public static async Task HandleAsync(HttpContext http, CompletionPreparer preparer)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Wire.GenerateRequest).ConfigureAwait(false);
        var plan = preparer.PlanGenerate(request, started);
        if (plan.Kind == CompletionPlanKind.LoadOrUnload)
        {
            await LoadOrUnloadAsync(http, request, plan, started).ConfigureAwait(false);
            return;
        }

        if (plan.Kind == CompletionPlanKind.RenderOnly)
        {
            var (prompt, images) = plan.Render();
            await JsonResponse.WriteAsync(http, new GenerateResponse
            {
                Model = request.Model,
                CreatedAt = DateTimeOffset.UtcNow,
                Done = true,
                DebugInfo = new DebugInfo { RenderedTemplate = prompt, ImageCount = images },
            }, OllamaJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
            return;
        }

        await using var prepared = await plan.StartAsync(http.RequestAborted).ConfigureAwait(false);
        using var stream = new NdjsonResponse(http);
        var streaming = request.IsStreaming;
        var text = new StringBuilder();
        var thinking = new StringBuilder();
        var logprobs = new List<Logprob>();
        try
        {
            await foreach (var e in prepared.EventsAsync(http.RequestAborted).ConfigureAwait(false))
            {
                if (e.Kind != CompletionEventKind.Done)
                {
                    if (!streaming)
                    {
                        (e.Kind == CompletionEventKind.Thinking ? thinking : text).Append(e.Text);
                        logprobs.AddRange(LogprobMapping.Map(e.Logprobs) ?? []);
                        continue;
                    }

                    await stream.WriteAsync(new GenerateResponse
                    {
                        Model = request.Model,
                        CreatedAt = DateTimeOffset.UtcNow,
                        Response = e.Kind == CompletionEventKind.Content ? e.Text : string.Empty,
                        Thinking = e.Kind == CompletionEventKind.Thinking ? e.Text : null,
                        Logprobs = LogprobMapping.Map(e.Logprobs),
                    }, OllamaJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
                    continue;
                }

                var chunk = e.Final!;
                var final = new GenerateResponse
                {
                    Model = request.Model,
                    CreatedAt = DateTimeOffset.UtcNow,
                    Response = streaming ? string.Empty : text.ToString(),
                    Thinking = streaming ? null : thinking.ToString(),
                    Logprobs = streaming ? null : logprobs,
                    Done = true,
                    DoneReason = chunk.DoneReason,
                    Context = chunk.Tokens,
                    TotalDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds,
                    LoadDuration = prepared.Lease.LoadDurationSince(started),
                    PromptEvalCount = chunk.PromptEvalCount,
                    PromptEvalDuration = chunk.PromptEvalDuration,
                    EvalCount = chunk.EvalCount,
                    EvalDuration = chunk.EvalDuration,
                };
                if (streaming)
                {
                    await stream.WriteAsync(final, OllamaJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
                }
                else
                {
                    await JsonResponse.WriteAsync(http, final, OllamaJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
                }
            }
        }
        catch (RunnerException ex) when (stream.Started)
        {
            await stream.WriteErrorAsync(ex.Message).ConfigureAwait(false);
        }
    }

    /// <summary>An empty prompt loads the model (done_reason "load"); with keep_alive 0 it unloads it ("unload", no options needed).</summary>
    private static async Task LoadOrUnloadAsync(HttpContext http, GenerateRequest request, CompletionPlan plan, long started)
    {
        var reason = await plan.LoadOrUnloadAsync(http.RequestAborted).ConfigureAwait(false);
        await JsonResponse.WriteAsync(http, new GenerateResponse
        {
            Model = request.Model,
            CreatedAt = DateTimeOffset.UtcNow,
            Done = true,
            DoneReason = reason,
            TotalDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds,
        }, OllamaJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
    }
}
