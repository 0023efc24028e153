using System.Diagnostics;
using System.Text;
using Corral.Api.Ollama;
using Corral.Api.OpenAI;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Microsoft.AspNetCore.Http;
using OpenAICompletionRequest = Corral.Api.OpenAI.CompletionRequest;

namespace Corral.Server.OpenAI;

/// <summary>
/// <c>POST /v1/completions</c>: each prompt becomes a native generate request (the model's template is
/// applied, as Ollama does), <c>n</c> choices per prompt, numbered prompt by prompt.
/// </summary>
internal static class CompletionsHandler
{
    public static async Task HandleAsync(HttpContext http, CompletionPreparer preparer)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, OpenAIJsonContext.Default.CompletionRequest).ConfigureAwait(false);
        var prompts = request.Prompt?.Values is { Count: > 0 } values ? values : throw ApiException.BadRequest("prompt is required");
        var perPrompt = SamplingTranslation.ChoiceCount(request.N);
        var count = prompts.Count * perPrompt;
        if (count > 64)
        {
            throw ApiException.BadRequest("too many choices: prompts × n must be at most 64");
        }

        var options = SamplingTranslation.Options(request.MaxTokens, request.Temperature, request.TopP, request.Seed, request.Stop, request.FrequencyPenalty, request.PresencePenalty)
            .WithLlamaSamplers(request);
        var bias = SamplingTranslation.LogitBias(request.LogitBias);

        // Each prompt goes through the native checks once, before anything loads: logprobs is generate's
        // top_logprobs (so Ollama's range and words), a suffix needs the insert capability.
        var plans = prompts.Select(prompt => preparer.PlanGenerate(new GenerateRequest
        {
            Model = request.Model,
            Prompt = prompt,
            Suffix = request.Suffix,
            Options = options,
            Logprobs = request.Logprobs is not null,
            TopLogprobs = request.Logprobs ?? 0,
            Grammar = request.Grammar,
            Lora = request.Lora,
        }, started, new CompletionExtras { LogitBias = bias })).ToList();

        // n choices should differ unless the caller fixed the seed.
        Task<PreparedCompletion> PrepareAsync(int choice, CancellationToken cancellation) =>
            plans[choice / perPrompt].StartAsync(cancellation, count > 1 && options.Seed is null ? Random.Shared.Next() : null);

        await using var first = await PrepareAsync(0, http.RequestAborted).ConfigureAwait(false);
        var id = ToolCallIds.NewCompletionId("cmpl-");
        var created = ToolCallIds.Now();
        var events = ChoiceRunner.RunAsync(first, count, PrepareAsync, http.RequestAborted);
        var choices = new ChoiceState[count];
        for (var i = 0; i < count; i++)
        {
            choices[i] = new ChoiceState(request.Echo == true ? prompts[i / perPrompt] : string.Empty, request.Logprobs is not null);
        }

        var usage = new Usage();
        if (request.Stream)
        {
            await StreamAsync(http, request, events, choices, usage, id, created).ConfigureAwait(false);
            return;
        }

        await foreach (var (choice, e) in events.ConfigureAwait(false))
        {
            choices[choice].Add(e, usage);
        }

        usage.TotalTokens = usage.PromptTokens + usage.CompletionTokens;
        await JsonResponse.WriteAsync(http, new Completion
        {
            Id = id,
            Created = created,
            Model = request.Model,
            Choices = choices.Select((c, i) => new CompletionChoice { Index = i, Text = c.Text.ToString(), Logprobs = c.Logprobs, FinishReason = c.FinishReason ?? "stop" }).ToList(),
            Usage = usage,
        }, OpenAIJsonContext.Wire.Completion).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext http, OpenAICompletionRequest request, IAsyncEnumerable<ChoiceEvent> events, ChoiceState[] choices, Usage usage, string id, long created)
    {
        using var sse = new SseStream(http);
        sse.Start();
        for (var i = 0; i < choices.Length; i++)
        {
            if (choices[i].Text.Length > 0)
            {
                sse.Write(Chunk(id, created, request.Model, new CompletionChoice { Index = i, Text = choices[i].Text.ToString() }), OpenAIJsonContext.Wire.Completion);
            }
        }

        await sse.FlushAsync().ConfigureAwait(false);
        try
        {
            await foreach (var (choice, e) in events.ConfigureAwait(false))
            {
                var state = choices[choice];
                var logprobs = state.Logprobs is null ? null : new CompletionLogprobs();
                state.Add(e, usage, logprobs);
                if (e.Kind == CompletionEventKind.Done)
                {
                    await sse.WriteAsync(Chunk(id, created, request.Model, new CompletionChoice { Index = choice, FinishReason = state.FinishReason }), OpenAIJsonContext.Wire.Completion).ConfigureAwait(false);
                }
                else if (e.Kind == CompletionEventKind.Content && (e.Text.Length > 0 || logprobs is { Tokens.Count: > 0 }))
                {
                    await sse.WriteAsync(Chunk(id, created, request.Model, new CompletionChoice { Index = choice, Text = e.Text, Logprobs = logprobs }), OpenAIJsonContext.Wire.Completion).ConfigureAwait(false);
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
            var last = Chunk(id, created, request.Model, null);
            last.Usage = usage;
            sse.Write(last, OpenAIJsonContext.Wire.Completion);
        }

        await sse.WriteDoneAsync().ConfigureAwait(false);
    }

    private static Completion Chunk(string id, long created, string model, CompletionChoice? choice) => new()
    {
        Id = id,
        Created = created,
        Model = model,
        Choices = choice is null ? [] : [choice],
    };

    /// <summary>One choice's text so far (starting with the prompt when echoing), logprobs and finish reason.</summary>
    private sealed class ChoiceState(string echo, bool logprobs)
    {
        public StringBuilder Text { get; } = new(echo);

        public CompletionLogprobs? Logprobs { get; } = logprobs ? new CompletionLogprobs() : null;

        public string? FinishReason { get; private set; }

        /// <summary>Thinking is not part of a text completion (Ollama leaves it out too).</summary>
        public void Add(CompletionEvent e, Usage usage, CompletionLogprobs? delta = null)
        {
            if (e.Kind == CompletionEventKind.Done)
            {
                ChatCompletionsHandler.AddUsage(usage, e.Final!);
                FinishReason = ChatChunkFactory.FinishReason(e.Final!.DoneReason, calledTools: false);
                return;
            }

            if (e.Kind != CompletionEventKind.Content)
            {
                return;
            }

            if (Logprobs is not null)
            {
                var offset = Text.Length;
                LogprobTranslation.AddCompletion(e.Logprobs, Logprobs, offset);
                if (delta is not null)
                {
                    LogprobTranslation.AddCompletion(e.Logprobs, delta, offset);
                }
            }

            Text.Append(e.Text);
        }
    }
}
