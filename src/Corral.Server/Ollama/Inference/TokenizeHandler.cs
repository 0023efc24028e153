using Corral.Api.Tokenize;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Inference;

/// <summary>
/// <c>POST /api/tokenize</c> and <c>POST /api/detokenize</c> (Corral extensions, Ollama #12031): the model's own
/// tokenizer, run by its runner (loaded on demand, kept per keep_alive like any request), so the ids are exactly
/// the ones generation sees.
/// </summary>
internal static class TokenizeHandler
{
    public static async Task TokenizeAsync(HttpContext http, ModelResolver resolver, InferenceService inference)
    {
        var request = await RequestJson.ReadAsync(http, TokenizeJsonContext.Default.TokenizeRequest).ConfigureAwait(false);
        var model = Resolve(resolver, request.Model);
        var content = request.Content ?? throw ApiException.BadRequest("content is required");
        var options = inference.EffectiveOptions(model, request.Options);
        var tokens = await inference.WithRunnerAsync(model, options, request.KeepAlive, async lease =>
        {
            await using (lease)
            {
                return await lease.Client.TokenizeAsync(content, http.RequestAborted, addSpecial: request.AddSpecial ?? false, parseSpecial: request.ParseSpecial ?? true).ConfigureAwait(false);
            }
        }, http.RequestAborted).ConfigureAwait(false);
        await JsonResponse.WriteAsync(http, new TokenizeResponse { Model = request.Model, Tokens = tokens }, TokenizeJsonContext.Wire.TokenizeResponse).ConfigureAwait(false);
    }

    public static async Task DetokenizeAsync(HttpContext http, ModelResolver resolver, InferenceService inference)
    {
        var request = await RequestJson.ReadAsync(http, TokenizeJsonContext.Default.DetokenizeRequest).ConfigureAwait(false);
        var model = Resolve(resolver, request.Model);
        var tokens = request.Tokens ?? throw ApiException.BadRequest("tokens is required");
        var options = inference.EffectiveOptions(model, request.Options);
        var content = await inference.WithRunnerAsync(model, options, request.KeepAlive, async lease =>
        {
            await using (lease)
            {
                return await lease.Client.DetokenizeAsync(tokens, http.RequestAborted).ConfigureAwait(false);
            }
        }, http.RequestAborted).ConfigureAwait(false);
        await JsonResponse.WriteAsync(http, new DetokenizeResponse { Model = request.Model, Content = content }, TokenizeJsonContext.Wire.DetokenizeResponse).ConfigureAwait(false);
    }

    private static ResolvedModel Resolve(ModelResolver resolver, string name) =>
        string.IsNullOrWhiteSpace(name) ? throw ApiException.BadRequest("model is required") : resolver.Resolve(name);
}
