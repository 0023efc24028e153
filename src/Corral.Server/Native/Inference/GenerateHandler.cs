using System.Diagnostics;
using System.Text;
using Corral.Api.Native;
using Corral.Runner.Client;
using Corral.Runner.Protocol;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Models;
using Corral.Templates.Prompting;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Native.Inference;

/// <summary><c>POST /api/generate</c>.</summary>
internal static class GenerateHandler
{
    public static async Task HandleAsync(HttpContext http, ModelResolver resolver, InferenceService inference, PromptBuilder prompts)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, NativeJsonContext.Wire.GenerateRequest).ConfigureAwait(false);
        var model = resolver.Resolve(request.Model);
        if (model.IsEmbeddingModel)
        {
            throw ApiException.BadRequest($"\"{request.Model}\" does not support generate");
        }

        var grammar = StructuredOutput.GrammarFor(request.Format);
        var options = inference.EffectiveOptions(model, request.Options);
        if (string.IsNullOrEmpty(request.Prompt) && string.IsNullOrEmpty(request.Suffix) && !request.DebugRenderOnly && (request.Images?.Count ?? 0) == 0)
        {
            await LoadOrUnloadAsync(http, request, model, inference, options, started).ConfigureAwait(false);
            return;
        }

        var rendered = prompts.RenderGenerate(model, request);
        if (request.DebugRenderOnly)
        {
            await JsonResponse.WriteAsync(http, new GenerateResponse
            {
                Model = request.Model,
                CreatedAt = DateTimeOffset.UtcNow,
                Done = true,
                DebugInfo = new DebugInfo { RenderedTemplate = rendered, ImageCount = request.Images?.Count ?? 0 },
            }, NativeJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
            return;
        }

        var completion = InferenceService.Completion(rendered, options, grammar, request.Truncate, request.Shift, request.Logprobs, request.TopLogprobs);
        completion.ReturnTokens = !request.Raw;
        completion.PrefixTokens = request.Context is { Count: > 0 } context ? context.ToArray() : null;

        await using var lease = await inference.AcquireAsync(model, options, request.KeepAlive, http.RequestAborted).ConfigureAwait(false);
        using var stream = new NdjsonStream(http);
        var text = request.IsStreaming ? null : new StringBuilder();
        var logprobs = request.IsStreaming ? null : new List<Logprob>();
        try
        {
            await foreach (var chunk in lease.Client.CompleteAsync(completion, http.RequestAborted).ConfigureAwait(false))
            {
                if (!chunk.Done)
                {
                    if (text is not null)
                    {
                        text.Append(chunk.Content);
                        logprobs!.AddRange(LogprobMapping.Map(chunk.Logprobs) ?? []);
                        continue;
                    }

                    await stream.WriteAsync(new GenerateResponse
                    {
                        Model = request.Model,
                        CreatedAt = DateTimeOffset.UtcNow,
                        Response = chunk.Content ?? string.Empty,
                        Logprobs = LogprobMapping.Map(chunk.Logprobs),
                    }, NativeJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
                    continue;
                }

                var final = new GenerateResponse
                {
                    Model = request.Model,
                    CreatedAt = DateTimeOffset.UtcNow,
                    Response = text?.ToString() ?? string.Empty,
                    Logprobs = logprobs,
                    Done = true,
                    DoneReason = chunk.DoneReason,
                    Context = chunk.Tokens,
                    TotalDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds,
                    LoadDuration = lease.LoadDuration,
                    PromptEvalCount = chunk.PromptEvalCount,
                    PromptEvalDuration = chunk.PromptEvalDuration,
                    EvalCount = chunk.EvalCount,
                    EvalDuration = chunk.EvalDuration,
                };
                if (text is null)
                {
                    await stream.WriteAsync(final, NativeJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
                }
                else
                {
                    await JsonResponse.WriteAsync(http, final, NativeJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
                }
            }
        }
        catch (RunnerException ex) when (stream.Started)
        {
            await stream.WriteErrorAsync(ex.Message).ConfigureAwait(false);
        }
    }

    /// <summary>An empty prompt loads the model (done_reason "load"); with keep_alive 0 it unloads it ("unload").</summary>
    private static async Task LoadOrUnloadAsync(HttpContext http, GenerateRequest request, ResolvedModel model, InferenceService inference, Api.Native.ModelOptions options, long started)
    {
        var reason = await inference.LoadOrUnloadAsync(model, options, request.KeepAlive, http.RequestAborted).ConfigureAwait(false);
        await JsonResponse.WriteAsync(http, new GenerateResponse
        {
            Model = request.Model,
            CreatedAt = DateTimeOffset.UtcNow,
            Done = true,
            DoneReason = reason,
            TotalDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds,
        }, NativeJsonContext.Wire.GenerateResponse).ConfigureAwait(false);
    }
}
