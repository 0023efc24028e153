using Corral.Api.Anthropic;
using Corral.Server.Http;
using Corral.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Anthropic;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c>: renders the prompt exactly as /v1/messages would and counts
/// its tokens with the model's own tokenizer (which needs the model loaded, as for a completion).
/// </summary>
internal static class CountTokensHandler
{
    public static async Task HandleAsync(HttpContext http, CompletionPreparer preparer)
    {
        var request = await RequestJson.ReadAsync(http, AnthropicJsonContext.Default.MessagesRequest).ConfigureAwait(false);
        var native = MessagesTranslation.ToNative(request, requireMaxTokens: false);
        var model = preparer.ResolveForChat(native, relaxThinking: true);
        var options = preparer.Inference.EffectiveOptions(model, native.Options);
        var prompt = PromptBuilder.RenderChat(model, native, countTokens: null, int.MaxValue);
        await using var lease = await preparer.Inference.AcquireAsync(model, options, native.KeepAlive, http.RequestAborted).ConfigureAwait(false);
        var tokens = await lease.Client.TokenizeAsync(prompt.Prompt, http.RequestAborted).ConfigureAwait(false);
        await JsonResponse.WriteAsync(http, new CountTokensResponse { InputTokens = tokens.Length }, AnthropicJsonContext.Wire.CountTokensResponse).ConfigureAwait(false);
    }
}
