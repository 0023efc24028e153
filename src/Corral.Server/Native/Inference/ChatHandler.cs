using System.Diagnostics;
using System.Text;
using Corral.Api.Native;
using Corral.Runner.Client;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Models;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Native.Inference;

/// <summary><c>POST /api/chat</c>.</summary>
internal static class ChatHandler
{
    public static async Task HandleAsync(HttpContext http, ModelResolver resolver, InferenceService inference, PromptBuilder prompts)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, NativeJsonContext.Wire.ChatRequest).ConfigureAwait(false);
        var model = resolver.Resolve(request.Model);
        if (model.IsEmbeddingModel)
        {
            throw ApiException.BadRequest($"\"{request.Model}\" does not support chat");
        }

        if (request.Tools is { Count: > 0 } && !model.Capabilities.Contains("tools"))
        {
            throw ApiException.BadRequest($"{request.Model} does not support tools");
        }

        if (request.Think is { IsEnabled: true } && !model.Capabilities.Contains("thinking"))
        {
            throw ApiException.BadRequest($"\"{request.Model}\" does not support thinking");
        }

        var grammar = StructuredOutput.GrammarFor(request.Format);
        var options = inference.EffectiveOptions(model, request.Options);
        if (request.Messages is not { Count: > 0 } && !request.DebugRenderOnly)
        {
            await LoadOrUnloadAsync(http, request, model, inference, options, started).ConfigureAwait(false);
            return;
        }

        if (request.DebugRenderOnly)
        {
            var debug = prompts.RenderChat(model, request, countTokens: null, int.MaxValue);
            await JsonResponse.WriteAsync(http, new ChatResponse
            {
                Model = request.Model,
                CreatedAt = DateTimeOffset.UtcNow,
                Message = new Message { Role = "assistant" },
                Done = true,
                DebugInfo = new DebugInfo { RenderedTemplate = debug.Prompt, ImageCount = debug.Images.Count },
            }, NativeJsonContext.Wire.ChatResponse).ConfigureAwait(false);
            return;
        }

        await using var lease = await inference.AcquireAsync(model, options, request.KeepAlive, http.RequestAborted).ConfigureAwait(false);
        var contextLength = options.NumCtx ?? 4096;
        var prompt = prompts.RenderChat(model, request, countTokens: null, int.MaxValue);

        // Only when the whole conversation might not fit is it worth tokenizing to drop old turns (as Ollama does).
        if (prompt.Prompt.Length > contextLength && request.Truncate != false)
        {
            var client = lease.Client;
            var abort = http.RequestAborted;
            var count = (await client.TokenizeAsync(prompt.Prompt, abort).ConfigureAwait(false)).Length;
            if (count > contextLength)
            {
                prompt = await Task.Run(
                    () => prompts.RenderChat(model, request, text => client.TokenizeAsync(text, abort).GetAwaiter().GetResult().Length, contextLength),
                    abort).ConfigureAwait(false);
            }
        }

        var completion = InferenceService.Completion(prompt.Prompt, options, grammar, request.Truncate, request.Shift, request.Logprobs, request.TopLogprobs);
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

                    await stream.WriteAsync(new ChatResponse
                    {
                        Model = request.Model,
                        CreatedAt = DateTimeOffset.UtcNow,
                        Message = new Message { Role = "assistant", Content = chunk.Content ?? string.Empty },
                        Logprobs = LogprobMapping.Map(chunk.Logprobs),
                    }, NativeJsonContext.Wire.ChatResponse).ConfigureAwait(false);
                    continue;
                }

                var final = new ChatResponse
                {
                    Model = request.Model,
                    CreatedAt = DateTimeOffset.UtcNow,
                    Message = new Message { Role = "assistant", Content = text?.ToString() ?? string.Empty },
                    Logprobs = logprobs,
                    Done = true,
                    DoneReason = chunk.DoneReason,
                    TotalDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds,
                    LoadDuration = lease.LoadDuration,
                    PromptEvalCount = chunk.PromptEvalCount,
                    PromptEvalDuration = chunk.PromptEvalDuration,
                    EvalCount = chunk.EvalCount,
                    EvalDuration = chunk.EvalDuration,
                };
                if (text is null)
                {
                    await stream.WriteAsync(final, NativeJsonContext.Wire.ChatResponse).ConfigureAwait(false);
                }
                else
                {
                    await JsonResponse.WriteAsync(http, final, NativeJsonContext.Wire.ChatResponse).ConfigureAwait(false);
                }
            }
        }
        catch (RunnerException ex) when (stream.Started)
        {
            await stream.WriteErrorAsync(ex.Message).ConfigureAwait(false);
        }
    }

    private static async Task LoadOrUnloadAsync(HttpContext http, ChatRequest request, ResolvedModel model, InferenceService inference, ModelOptions options, long started)
    {
        var reason = await inference.LoadOrUnloadAsync(model, options, request.KeepAlive, http.RequestAborted).ConfigureAwait(false);
        await JsonResponse.WriteAsync(http, new ChatResponse
        {
            Model = request.Model,
            CreatedAt = DateTimeOffset.UtcNow,
            Message = new Message { Role = "assistant" },
            Done = true,
            DoneReason = reason,
            TotalDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds,
        }, NativeJsonContext.Wire.ChatResponse).ConfigureAwait(false);
    }
}
