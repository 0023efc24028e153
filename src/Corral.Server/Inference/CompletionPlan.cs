using Corral.Api.Ollama;
using Corral.Server.Resolution;

namespace Corral.Server.Inference;

/// <summary>
/// A chat or generate request after <see cref="CompletionPreparer"/> has checked it once, in Ollama's order: its model,
/// the thinking the model will honour, its merged options and its grammar. <see cref="Kind"/> says what the handler
/// does next; nothing has loaded yet. A plan can start several completions (OpenAI's <c>n</c>).
/// </summary>
public sealed class CompletionPlan
{
    private readonly InferenceService _inference;
    private readonly ModelOptions? _requestOptions;
    private readonly KeepAlive? _keepAlive;
    private readonly Func<ModelOptions, CancellationToken, Task<PreparedCompletion>>? _start;
    private readonly Func<(string Prompt, int Images)>? _render;

    internal CompletionPlan(
        CompletionPlanKind kind, ResolvedModel model, ModelOptions? options, InferenceService inference, ModelOptions? requestOptions, KeepAlive? keepAlive,
        Func<ModelOptions, CancellationToken, Task<PreparedCompletion>>? start, Func<(string Prompt, int Images)>? render)
    {
        Kind = kind;
        Model = model;
        Options = options;
        _inference = inference;
        _requestOptions = requestOptions;
        _keepAlive = keepAlive;
        _start = start;
        _render = render;
    }

    public CompletionPlanKind Kind { get; }

    public ResolvedModel Model { get; }

    /// <summary>Ollama's defaults &lt; OLLAMA_CONTEXT_LENGTH &lt; PARAMETERs &lt; the request's; null for an unload.</summary>
    public ModelOptions? Options { get; }

    /// <summary>Loads the model (or unloads it, keep_alive 0); the done_reason to answer with.</summary>
    public Task<string> LoadOrUnloadAsync(CancellationToken cancellation) =>
        _inference.LoadOrUnloadAsync(Model, Options, _keepAlive, cancellation);

    /// <summary>The prompt as the model would see it and how many images it carries (<c>_debug_render_only</c>).</summary>
    public (string Prompt, int Images) Render() =>
        (_render ?? throw new InvalidOperationException("an unload renders nothing"))();

    /// <summary>
    /// Takes a runner slot and starts the completion, accepted by the runner (what it refuses as the client's fault is a
    /// 400 before any status is written). <paramref name="seed"/> replaces the options' seed (OpenAI's n choices).
    /// </summary>
    public Task<PreparedCompletion> StartAsync(CancellationToken cancellation, int? seed = null)
    {
        if (_start is null || Options is null)
        {
            throw new InvalidOperationException("an unload starts no completion");
        }

        var options = Options;
        if (seed is { } s)
        {
            options = _inference.EffectiveOptions(Model, _requestOptions);
            options.Seed = s;
        }

        return _start(options, cancellation);
    }

    /// <summary>Counts the prompt's tokens with the model's own tokenizer (Anthropic's count_tokens), loading it if need be.</summary>
    public async Task<int> CountPromptTokensAsync(CancellationToken cancellation)
    {
        var (prompt, _) = Render();
        await using var lease = await _inference.AcquireAsync(Model, Options!, _keepAlive, cancellation).ConfigureAwait(false);
        return (await lease.Client.TokenizeAsync(prompt, cancellation).ConfigureAwait(false)).Length;
    }
}
