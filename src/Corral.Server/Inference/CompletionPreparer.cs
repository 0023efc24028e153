using Corral.Api.Native;
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

    public ResolvedModel ResolveForChat(ChatRequest request)
    {
        var model = Resolver.Resolve(request.Model);
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

        ImageValidation.Check(model, request.Model, request.Messages?.SelectMany(m => m.Images ?? []));
        return model;
    }

    public ResolvedModel ResolveForGenerate(GenerateRequest request)
    {
        var model = Resolver.Resolve(request.Model);
        if (model.IsEmbeddingModel)
        {
            throw ApiException.BadRequest($"\"{request.Model}\" does not support generate");
        }

        ImageValidation.Check(model, request.Model, request.Images);
        return model;
    }

    /// <param name="toolCalls">Whether the caller's tool_choice demands a call: then the output is held to tool calls (<see cref="RequiredToolCall"/>).</param>
    public async Task<PreparedCompletion> PrepareChatAsync(ResolvedModel model, ChatRequest request, ModelOptions options, long started, CancellationToken cancellation, ToolCallRequirement toolCalls = ToolCallRequirement.None)
    {
        var grammar = StructuredOutput.GrammarFor(request.Format);
        var lease = await Inference.AcquireAsync(model, options, request.KeepAlive, cancellation).ConfigureAwait(false);
        try
        {
            var contextLength = options.NumCtx ?? 4096;
            var prompt = Prompts.RenderChat(model, request, countTokens: null, int.MaxValue);

            // Only when the conversation might not fit is it worth tokenizing to drop old turns (as Ollama does).
            if (prompt.Prompt.Length > contextLength && request.Truncate != false)
            {
                var client = lease.Client;
                var count = (await client.TokenizeAsync(prompt.Prompt, cancellation).ConfigureAwait(false)).Length;
                if (count > contextLength)
                {
                    prompt = await Task.Run(
                        () => Prompts.RenderChat(model, request, text => client.TokenizeAsync(text, cancellation).GetAwaiter().GetResult().Length, contextLength),
                        cancellation).ConfigureAwait(false);
                }
            }

            var parser = PromptBuilder.ParserOptions(model, prompt.Prompt, request.Tools, request.Think);
            if (toolCalls != ToolCallRequirement.None && RequiredToolCall.GrammarFor(request.Tools, parser, toolCalls == ToolCallRequirement.OneOrMore) is { } toolGrammar)
            {
                grammar = toolGrammar;
            }

            var completion = InferenceService.Completion(prompt.Prompt, options, grammar, request.Truncate, request.Shift, request.Logprobs, request.TopLogprobs);
            completion.Images = prompt.Images.Count > 0 ? prompt.Images.ToList() : null;
            return new PreparedCompletion(model, lease, completion, started, parser);
        }
        catch
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<PreparedCompletion> PrepareGenerateAsync(ResolvedModel model, GenerateRequest request, ModelOptions options, long started, CancellationToken cancellation)
    {
        var grammar = StructuredOutput.GrammarFor(request.Format);
        var rendered = Prompts.RenderGenerate(model, request);
        var completion = InferenceService.Completion(rendered, options, grammar, request.Truncate, request.Shift, request.Logprobs, request.TopLogprobs);
        completion.ReturnTokens = !request.Raw;
        completion.PrefixTokens = request.Context is { Count: > 0 } context ? context.ToArray() : null;
        completion.Images = request.Images is { Count: > 0 } images ? images.ToList() : null;
        var lease = await Inference.AcquireAsync(model, options, request.KeepAlive, cancellation).ConfigureAwait(false);
        return new PreparedCompletion(model, lease, completion, started, PromptBuilder.ParserOptions(model, rendered, null, request.Think));
    }
}
