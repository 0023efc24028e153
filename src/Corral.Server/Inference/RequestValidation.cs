using Corral.Api.Ollama;
using Corral.Server.Http;
using Corral.Server.Resolution;

namespace Corral.Server.Inference;

/// <summary>
/// The request checks Ollama's chat and generate handlers make before a model is scheduled, with Ollama's
/// status codes and words (clients match on the text). <see cref="CompletionPreparer"/> runs them in
/// Ollama's order, so a request that breaks two rules gets the error Ollama would give.
/// </summary>
public static class RequestValidation
{
    /// <summary>The most alternatives per position a request may ask for: Ollama's limit, and OpenAI's.</summary>
    public const int MaxTopLogprobs = 20;

    /// <summary>Checked before the model is even looked up, as Ollama does.</summary>
    public static void CheckTopLogprobs(int topLogprobs)
    {
        if (topLogprobs is < 0 or > MaxTopLogprobs)
        {
            throw ApiException.BadRequest($"top_logprobs must be between 0 and {MaxTopLogprobs}");
        }
    }

    /// <summary>
    /// A raw prompt goes to the model untouched, so a template, a system prompt or a previous context
    /// (which would have to be rendered or prepended) would be silently dropped; Ollama refuses the mix.
    /// </summary>
    public static void CheckRaw(GenerateRequest request)
    {
        if (request.Raw && (!string.IsNullOrEmpty(request.Template) || !string.IsNullOrEmpty(request.System) || request.Context is { Count: > 0 }))
        {
            throw ApiException.BadRequest("raw mode does not support template, system, or context");
        }
    }

    /// <summary>
    /// An empty prompt with keep_alive 0 is how clients (and <c>ollama stop</c>) unload a model. Ollama answers
    /// it before checking what the model can do, so any model can be unloaded through /api/generate.
    /// </summary>
    public static bool IsUnload(GenerateRequest request) =>
        string.IsNullOrEmpty(request.Prompt) && request.KeepAlive is { IsUnloadNow: true };

    /// <summary>The chat form of <see cref="IsUnload(GenerateRequest)"/>: no messages and keep_alive 0.</summary>
    public static bool IsUnload(ChatRequest request) =>
        request.Messages is not { Count: > 0 } && request.KeepAlive is { IsUnloadNow: true };

    /// <summary>
    /// A missing capability in Ollama's scheduler words: the model's full name (host/namespace/model:tag, as
    /// stored) then "does not support" and the capability, unquoted — unlike the handlers' own
    /// <c>"name" does not support chat</c>, which quote the name as the client sent it.
    /// </summary>
    public static ApiException MissingCapability(ResolvedModel model, string capability) =>
        ApiException.BadRequest($"{model.Stored.Name.DisplayFull()} does not support {capability}");
}
