using Corral.Api.Ollama;
using Corral.Runner.Client;
using Corral.Server.Http;
using Corral.Server.Resolution;
using Corral.Server.Vision;
using Corral.Templates.Prompting;
using ThinkValue = Corral.Api.Ollama.ThinkValue;

namespace Corral.Server.Inference;

/// <summary>
/// The one way from a chat or generate request to a runner: <see cref="PlanChat"/> / <see cref="PlanGenerate"/>
/// check the request once, in Ollama's order, resolve its model, merge its options and turn its format into a
/// grammar; the plan then loads, renders or starts the completion. The native routes and the OpenAI, Responses
/// and Anthropic adapters all come through here.
/// </summary>
public sealed class CompletionPreparer(ModelResolver resolver, InferenceService inference)
{
    /// <summary>Checks a chat request and plans what it asks for; nothing loads yet.</summary>
    /// <param name="request">The chat request as received (left as it is).</param>
    /// <param name="extras">What the API surface adds that the native request has no field for.</param>
    /// <param name="started">When the request arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks), for its durations.</param>
    public CompletionPlan PlanChat(ChatRequest request, long started, CompletionExtras? extras = null)
    {
        extras ??= CompletionExtras.None;
        var (model, think, lora) = ResolveForChat(request, extras.RelaxThinking);
        if (RequestValidation.IsUnload(request))
        {
            return new CompletionPlan(CompletionPlanKind.LoadOrUnload, model, null, inference, request.Options, request.KeepAlive, null, null);
        }

        var grammar = StructuredOutput.GrammarFor(request.Format, request.Grammar); // checked before anything loads
        var options = inference.EffectiveOptions(model, request.Options);
        var kind = request.DebugRenderOnly ? CompletionPlanKind.RenderOnly
            : request.Messages is not { Count: > 0 } ? CompletionPlanKind.LoadOrUnload
            : CompletionPlanKind.Run;
        return new CompletionPlan(
            kind, model, options, inference, request.Options, request.KeepAlive,
            (opts, ct) => StartChatAsync(model, request, think, lora, grammar, opts, started, extras, ct),
            () =>
            {
                var rendered = PromptBuilder.RenderChat(model, request, think);
                return (rendered.Prompt, rendered.Images.Count);
            });
    }

    /// <summary>Checks a generate request and plans what it asks for; nothing loads yet.</summary>
    /// <param name="request">The generate request as received (left as it is).</param>
    /// <param name="extras">What the API surface adds that the native request has no field for.</param>
    /// <param name="started">When the request arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks), for its durations.</param>
    public CompletionPlan PlanGenerate(GenerateRequest request, long started, CompletionExtras? extras = null)
    {
        extras ??= CompletionExtras.None;
        var (model, think, lora) = ResolveForGenerate(request);
        if (RequestValidation.IsUnload(request))
        {
            return new CompletionPlan(CompletionPlanKind.LoadOrUnload, model, null, inference, request.Options, request.KeepAlive, null, null);
        }

        var grammar = StructuredOutput.GrammarFor(request.Format, request.Grammar); // checked before anything loads
        var options = inference.EffectiveOptions(model, request.Options);
        var empty = string.IsNullOrEmpty(request.Prompt) && string.IsNullOrEmpty(request.Suffix) && (request.Images?.Count ?? 0) == 0;
        var kind = request.DebugRenderOnly ? CompletionPlanKind.RenderOnly
            : empty ? CompletionPlanKind.LoadOrUnload
            : CompletionPlanKind.Run;
        return new CompletionPlan(
            kind, model, options, inference, request.Options, request.KeepAlive,
            (opts, ct) => StartGenerateAsync(model, request, think, lora, grammar, opts, started, extras, ct),
            () => (PromptBuilder.RenderGenerate(model, request, think), request.Images?.Count ?? 0));
    }

    /// <summary>
    /// Checks a chat request in Ollama's order (top_logprobs, the model, thinking, then what the model can do:
    /// chat, tools, images) and returns its model. An unload request (no messages, keep_alive 0) is answered
    /// before the capability checks, as in Ollama.
    /// </summary>
    /// <param name="request">The chat request as received.</param>
    /// <param name="relaxThinking">See <see cref="CompletionExtras.RelaxThinking"/>.</param>
    /// <returns>The model, the thinking it will honour (the request itself is left as the client sent it), and the adapter scales asked for.</returns>
    private (ResolvedModel Model, ThinkValue? Think, float[]? Lora) ResolveForChat(ChatRequest request, bool relaxThinking)
    {
        RequestValidation.CheckTopLogprobs(request.TopLogprobs);
        var model = resolver.Resolve(request.Model);
        if (RequestValidation.IsUnload(request))
        {
            return (model, request.Think, null);
        }

        var think = EffectiveThink(model, request.Model, request.Think, relaxThinking);
        if (model.IsEmbeddingModel)
        {
            throw ApiException.BadRequest($"\"{request.Model}\" does not support chat");
        }

        if (request.Tools is { Count: > 0 } && !model.Capabilities.Contains("tools"))
        {
            throw RequestValidation.MissingCapability(model, "tools");
        }

        ImageValidation.Check(model, request.Model, request.Messages?.SelectMany(m => m.Images ?? []));
        return (model, think, LoraScaling.Resolve(model, request.Lora));
    }

    /// <summary>
    /// Checks a generate request in Ollama's order (top_logprobs, the model, raw with template/system/context,
    /// thinking, then what the model can do: generate, insert for a suffix, images) and returns its model.
    /// An unload request (empty prompt, keep_alive 0) is answered before the checks after the model, as in Ollama.
    /// </summary>
    private (ResolvedModel Model, ThinkValue? Think, float[]? Lora) ResolveForGenerate(GenerateRequest request)
    {
        RequestValidation.CheckTopLogprobs(request.TopLogprobs);
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            // Ollama's generate answers a missing name like an unknown one (its chat says "model is required").
            throw ApiException.NotFound($"model '{request.Model}' not found");
        }

        var model = resolver.Resolve(request.Model);
        if (RequestValidation.IsUnload(request))
        {
            return (model, request.Think, null);
        }

        RequestValidation.CheckRaw(request);
        var think = EffectiveThink(model, request.Model, request.Think, relax: false);
        if (model.IsEmbeddingModel)
        {
            throw ApiException.BadRequest($"\"{request.Model}\" does not support generate");
        }

        // A suffix is rendered only by a template that reads .Suffix; without one it would be dropped and the
        // model would write on from the prompt, maybe for ever.
        if (!string.IsNullOrEmpty(request.Suffix) && !model.Capabilities.Contains("insert"))
        {
            throw RequestValidation.MissingCapability(model, "insert");
        }

        ImageValidation.Check(model, request.Model, request.Images);
        return (model, think, LoraScaling.Resolve(model, request.Lora));
    }

    /// <summary>
    /// Ollama's rule, for chat and generate alike: a model with the thinking capability thinks unless the request
    /// says otherwise (unset → true, so its template sees .Think and the output is split); asking a model without
    /// it to think is a 400, or with <paramref name="relax"/> the request is dropped.
    /// </summary>
    private static ThinkValue? EffectiveThink(ResolvedModel model, string? name, ThinkValue? think, bool relax)
    {
        if (model.Capabilities.Contains("thinking"))
        {
            return think ?? ThinkValue.True;
        }

        if (think is { IsEnabled: true })
        {
            return relax ? null : throw ApiException.BadRequest($"\"{name}\" does not support thinking");
        }

        return think;
    }

    private async Task<PreparedCompletion> StartChatAsync(
        ResolvedModel model, ChatRequest request, ThinkValue? think, float[]? lora, string? formatGrammar, ModelOptions options, long started, CompletionExtras extras, CancellationToken cancellation)
    {
        return await inference.WithRunnerAsync(model, options, request.KeepAlive, async lease =>
        {
            var grammar = formatGrammar;
            var contextLength = options.NumCtx ?? 4096;
            var (prompt, tokens) = await RenderToFitAsync(model, request, think, lease.Client, contextLength, cancellation).ConfigureAwait(false);
            var parser = PromptBuilder.ParserOptions(model, prompt.Prompt, request.Tools, think);
            if (extras.ToolCalls != ToolCallRequirement.None && RequiredToolCall.GrammarFor(request.Tools, parser, extras.ToolCalls == ToolCallRequirement.OneOrMore) is { } toolGrammar)
            {
                grammar = toolGrammar;
            }

            var completion = InferenceService.Completion(tokens is null ? prompt.Prompt : string.Empty, options, grammar, request.Truncate, request.Shift, request.Logprobs, request.TopLogprobs);
            completion.Tokens = tokens;
            completion.Images = prompt.Images.Count > 0 ? prompt.Images.ToList() : null;
            completion.Sampling.LogitBias = extras.LogitBias;
            completion.LoraScales = lora;
            return await AcceptedAsync(new PreparedCompletion(model, lease, completion, started, parser), cancellation).ConfigureAwait(false);
        }, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// The chat's prompt, without its oldest turns when it does not fit the context. Only a conversation that might
    /// not fit is worth measuring (as Ollama does); images take positions the text does not show, so a conversation
    /// with images is always measured, with the model's projector. A prompt the server tokenized whole goes to the
    /// runner as those tokens, so it is tokenized once: at most num_ctx ids, since a longer one is not tokenized whole.
    /// </summary>
    private static async Task<FittedChatPrompt> RenderToFitAsync(
        ResolvedModel model, ChatRequest request, ThinkValue? think, RunnerClient client, int contextLength, CancellationToken cancellation)
    {
        ChatPrompt? whole = PromptBuilder.RenderChat(model, request, think, cancellation);
        if (request.Truncate == false || (whole.Prompt.Length <= contextLength && whole.Images.Count == 0))
        {
            return new FittedChatPrompt(whole, null);
        }

        int count;
        Func<byte[], int>? imageTokens = null;
        var images = (request.Messages ?? []).SelectMany(m => m.Images ?? []).Distinct(ReferenceEqualityComparer.Instance).Cast<byte[]>().ToList();
        if (images.Count > 0)
        {
            var measured = await client.MeasureAsync(whole.Prompt, images, cancellation).ConfigureAwait(false);
            var positions = new Dictionary<byte[], int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < images.Count; i++)
            {
                positions[images[i]] = measured.ImageTokens is { } counts && i < counts.Length ? counts[i] : 0;
            }

            imageTokens = image => positions.GetValueOrDefault(image);
            count = measured.Tokens.Length + whole.Images.Sum(imageTokens);
            if (count <= contextLength)
            {
                return new FittedChatPrompt(whole, null);
            }
        }
        else
        {
            var tokens = await client.TokenizeAsync(whole.Prompt, cancellation, limit: contextLength).ConfigureAwait(false);
            count = tokens.Length;
            if (count <= contextLength)
            {
                return new FittedChatPrompt(whole, tokens);
            }
        }

        whole = null; // as large as the conversation: not kept while the shorter candidates render
        return await PromptBuilder.RenderChatToFitAsync(
            model, request, think,
            (text, ct) => client.TokenizeAsync(text, ct, limit: contextLength),
            contextLength, imageTokens, whole: images.Count > 0 ? null : count, cancellation).ConfigureAwait(false);
    }

    private Task<PreparedCompletion> StartGenerateAsync(
        ResolvedModel model, GenerateRequest request, ThinkValue? think, float[]? lora, string? grammar, ModelOptions options, long started, CompletionExtras extras, CancellationToken cancellation)
    {
        var rendered = PromptBuilder.RenderGenerate(model, request, think, cancellation);
        var completion = InferenceService.Completion(rendered, options, grammar, request.Truncate, request.Shift, request.Logprobs, request.TopLogprobs);
        completion.ReturnTokens = !request.Raw;
        completion.PrefixTokens = request.Context is { Count: > 0 } context ? context.ToArray() : null;
        completion.Images = request.Images is { Count: > 0 } images ? images.ToList() : null;
        completion.Sampling.LogitBias = extras.LogitBias;
        completion.LoraScales = lora;
        var parsing = PromptBuilder.ParserOptions(model, rendered, null, think);
        return inference.WithRunnerAsync(
            model,
            options,
            request.KeepAlive,
            lease => AcceptedAsync(new PreparedCompletion(model, lease, completion, started, parsing), cancellation),
            cancellation);
    }

    /// <summary>
    /// Every prepared completion is one the runner has accepted: what it refuses as the client's fault is a
    /// 400 before any API surface writes a status (see <see cref="PreparedCompletion.EnsureAcceptedAsync"/>).
    /// </summary>
    private static async Task<PreparedCompletion> AcceptedAsync(PreparedCompletion prepared, CancellationToken cancellation)
    {
        try
        {
            await prepared.EnsureAcceptedAsync(cancellation).ConfigureAwait(false);
            return prepared;
        }
        catch
        {
            await prepared.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
