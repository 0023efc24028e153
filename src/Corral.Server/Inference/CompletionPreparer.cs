using Corral.Api.Native;
using Corral.Runner.Client;
using Corral.Server.Http;
using Corral.Server.Models;
using Corral.Server.Vision;

namespace Corral.Server.Inference;

/// <summary>
/// Validates a chat or generate request, resolves its model, renders its prompt and gets a runner
/// slot. The native routes and the OpenAI adapters both call this: one path to the scheduler.
/// </summary>
public sealed class CompletionPreparer(ModelResolver resolver, InferenceService inference, PromptBuilder prompts)
{
    public ModelResolver Resolver { get; } = resolver;

    public InferenceService Inference { get; } = inference;

    public PromptBuilder Prompts { get; } = prompts;

    /// <summary>
    /// Checks a chat request in Ollama's order (top_logprobs, the model, thinking, then what the model can do:
    /// chat, tools, images) and returns its model. An unload request (no messages, keep_alive 0) is answered
    /// before the capability checks, as in Ollama.
    /// </summary>
    /// <param name="request">The chat request as received.</param>
    /// <param name="relaxThinking">
    /// Drop a thinking request the model can't honour instead of refusing it: Anthropic clients (Claude Code) send
    /// thinking whatever the model, and Ollama relaxes it on /v1/messages.
    /// </param>
    public ResolvedModel ResolveForChat(ChatRequest request, bool relaxThinking = false)
    {
        RequestValidation.CheckTopLogprobs(request.TopLogprobs);
        var model = Resolver.Resolve(request.Model);
        if (RequestValidation.IsUnload(request))
        {
            return model;
        }

        request.Think = EffectiveThink(model, request.Model, request.Think, relaxThinking);
        if (model.IsEmbeddingModel)
        {
            throw ApiException.BadRequest($"\"{request.Model}\" does not support chat");
        }

        if (request.Tools is { Count: > 0 } && !model.Capabilities.Contains("tools"))
        {
            throw RequestValidation.MissingCapability(model, "tools");
        }

        ImageValidation.Check(model, request.Model, request.Messages?.SelectMany(m => m.Images ?? []));
        LoraScaling.Resolve(model, request.Lora);
        return model;
    }

    /// <summary>
    /// Checks a generate request in Ollama's order (top_logprobs, the model, raw with template/system/context,
    /// thinking, then what the model can do: generate, insert for a suffix, images) and returns its model.
    /// An unload request (empty prompt, keep_alive 0) is answered before the checks after the model, as in Ollama.
    /// </summary>
    public ResolvedModel ResolveForGenerate(GenerateRequest request)
    {
        RequestValidation.CheckTopLogprobs(request.TopLogprobs);
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            // Ollama's generate answers a missing name like an unknown one (its chat says "model is required").
            throw ApiException.NotFound($"model '{request.Model}' not found");
        }

        var model = Resolver.Resolve(request.Model);
        if (RequestValidation.IsUnload(request))
        {
            return model;
        }

        RequestValidation.CheckRaw(request);
        request.Think = EffectiveThink(model, request.Model, request.Think, relax: false);
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
        LoraScaling.Resolve(model, request.Lora);
        return model;
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

    /// <param name="model">The resolved model.</param>
    /// <param name="request">The chat request as received.</param>
    /// <param name="options">The effective options (model defaults merged with the request's).</param>
    /// <param name="started">Stopwatch timestamp of the request's arrival.</param>
    /// <param name="cancellation">The request's cancellation.</param>
    /// <param name="toolCalls">Whether the caller's tool_choice demands a call: then the output is held to tool calls (<see cref="RequiredToolCall"/>).</param>
    /// <param name="logitBias">OpenAI's logit_bias (token id → bias), which has no native field.</param>
    public async Task<PreparedCompletion> PrepareChatAsync(ResolvedModel model, ChatRequest request, ModelOptions options, long started, CancellationToken cancellation, ToolCallRequirement toolCalls = ToolCallRequirement.None, Dictionary<int, float>? logitBias = null)
    {
        var formatGrammar = StructuredOutput.GrammarFor(request.Format, request.Grammar);
        return await Inference.WithRunnerAsync(model, options, request.KeepAlive, async lease =>
        {
            var grammar = formatGrammar;
            var contextLength = options.NumCtx ?? 4096;
            var prompt = PromptBuilder.RenderChat(model, request, countTokens: null, int.MaxValue);

            // Only when the conversation might not fit is it worth tokenizing to drop old turns (as Ollama does);
            // images take positions the text does not show, so a conversation with images is always measured.
            if (request.Truncate != false && (prompt.Prompt.Length > contextLength || prompt.Images.Count > 0))
            {
                prompt = await FitToContextAsync(model, request, prompt, lease.Client, contextLength, cancellation).ConfigureAwait(false);
            }

            var parser = PromptBuilder.ParserOptions(model, prompt.Prompt, request.Tools, request.Think);
            if (toolCalls != ToolCallRequirement.None && RequiredToolCall.GrammarFor(request.Tools, parser, toolCalls == ToolCallRequirement.OneOrMore) is { } toolGrammar)
            {
                grammar = toolGrammar;
            }

            var completion = InferenceService.Completion(prompt.Prompt, options, grammar, request.Truncate, request.Shift, request.Logprobs, request.TopLogprobs);
            completion.Images = prompt.Images.Count > 0 ? prompt.Images.ToList() : null;
            completion.Sampling.LogitBias = logitBias;
            completion.LoraScales = LoraScaling.Resolve(model, request.Lora);
            return await AcceptedAsync(new PreparedCompletion(model, lease, completion, started, parser), cancellation).ConfigureAwait(false);
        }, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Measures the rendered conversation with the runner (text tokens, and each image's positions with the model's
    /// projector) and, when it is longer than the context, renders it again without its oldest turns.
    /// </summary>
    private static async Task<Corral.Templates.Prompting.ChatPrompt> FitToContextAsync(ResolvedModel model, ChatRequest request, Corral.Templates.Prompting.ChatPrompt prompt, RunnerClient client, int contextLength, CancellationToken cancellation)
    {
        int count;
        Func<byte[], int>? imageTokens = null;
        var images = (request.Messages ?? []).SelectMany(m => m.Images ?? []).Distinct(ReferenceEqualityComparer.Instance).Cast<byte[]>().ToList();
        if (images.Count > 0)
        {
            var measured = await client.MeasureAsync(prompt.Prompt, images, cancellation).ConfigureAwait(false);
            var positions = new Dictionary<byte[], int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < images.Count; i++)
            {
                positions[images[i]] = measured.ImageTokens is { } counts && i < counts.Length ? counts[i] : 0;
            }

            imageTokens = image => positions.GetValueOrDefault(image);
            count = measured.Tokens.Length + prompt.Images.Sum(imageTokens);
        }
        else
        {
            count = (await client.TokenizeAsync(prompt.Prompt, cancellation, limit: contextLength).ConfigureAwait(false)).Length;
        }

        if (count <= contextLength)
        {
            return prompt;
        }

        return await Task.Run(
            () => PromptBuilder.RenderChat(model, request, text => client.TokenizeAsync(text, cancellation, limit: contextLength).GetAwaiter().GetResult().Length, contextLength, imageTokens),
            cancellation).ConfigureAwait(false);
    }

    /// <param name="model">The resolved model.</param>
    /// <param name="request">The generate request as received.</param>
    /// <param name="options">The effective options (model defaults merged with the request's).</param>
    /// <param name="started">Stopwatch timestamp of the request's arrival.</param>
    /// <param name="cancellation">The request's cancellation.</param>
    /// <param name="logitBias">OpenAI's logit_bias (token id → bias), which has no native field.</param>
    public async Task<PreparedCompletion> PrepareGenerateAsync(ResolvedModel model, GenerateRequest request, ModelOptions options, long started, CancellationToken cancellation, Dictionary<int, float>? logitBias = null)
    {
        var grammar = StructuredOutput.GrammarFor(request.Format, request.Grammar);
        var rendered = PromptBuilder.RenderGenerate(model, request);
        var completion = InferenceService.Completion(rendered, options, grammar, request.Truncate, request.Shift, request.Logprobs, request.TopLogprobs);
        completion.ReturnTokens = !request.Raw;
        completion.PrefixTokens = request.Context is { Count: > 0 } context ? context.ToArray() : null;
        completion.Images = request.Images is { Count: > 0 } images ? images.ToList() : null;
        completion.Sampling.LogitBias = logitBias;
        completion.LoraScales = LoraScaling.Resolve(model, request.Lora);
        var parsing = PromptBuilder.ParserOptions(model, rendered, null, request.Think);
        return await Inference.WithRunnerAsync(
            model,
            options,
            request.KeepAlive,
            lease => AcceptedAsync(new PreparedCompletion(model, lease, completion, started, parsing), cancellation),
            cancellation).ConfigureAwait(false);
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
