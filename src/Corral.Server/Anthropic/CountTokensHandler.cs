using System.Diagnostics;
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
        var native = MessagesTranslation.ToOllama(request, requireMaxTokens: false);
        var plan = preparer.PlanChat(native, Stopwatch.GetTimestamp(), new CompletionExtras { RelaxThinking = true });
        var count = await plan.CountPromptTokensAsync(http.RequestAborted).ConfigureAwait(false);
        await JsonResponse.WriteAsync(http, new CountTokensResponse { InputTokens = count }, AnthropicJsonContext.Wire.CountTokensResponse).ConfigureAwait(false);
    }
}
