using Corral.Api.Rerank;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Inference;

/// <summary>
/// <c>POST /api/rerank</c> and, in the /v1 group (OpenAI-shaped errors), <c>POST /v1/rerank</c>: a Corral
/// extension with llama-server's request and response shapes.
/// </summary>
internal static class RerankHandler
{
    public static async Task HandleAsync(HttpContext http, ModelResolver resolver, InferenceService inference)
    {
        var request = await RequestJson.ReadAsync(http, RerankJsonContext.Default.RerankRequest).ConfigureAwait(false);
        var response = await Reranking.RerankAsync(inference, resolver, request, http.RequestAborted).ConfigureAwait(false);
        await JsonResponse.WriteAsync(http, response, RerankJsonContext.Wire.RerankResponse).ConfigureAwait(false);
    }
}
