using System.Diagnostics;
using Corral.Api.Ollama;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Corral.Server.Observability;
using Microsoft.AspNetCore.Http;
using RunnerEmbeddingRequest = Corral.Runner.Protocol.EmbeddingRequest;

namespace Corral.Server.Ollama.Inference;

/// <summary><c>POST /api/embed</c> and the legacy <c>POST /api/embeddings</c>.</summary>
internal static class EmbedHandler
{
    public static async Task EmbedAsync(HttpContext http, ModelResolver resolver, InferenceService inference)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Wire.EmbedRequest).ConfigureAwait(false);
        var model = Embeddings.ResolveForEmbed(resolver, request.Model);
        Embeddings.RequireEmbeddingModel(model, request.Model);
        var inputs = request.Input?.Values ?? [];
        var result = await Embeddings.EmbedAsync(
            inference, model, inputs, request.Options, request.KeepAlive, request.Truncate ?? true, request.Dimensions, started, http.RequestAborted).ConfigureAwait(false);
        var response = new EmbedResponse { Model = request.Model };
        if (inputs.Count > 0)
        {
            response.Embeddings = result.Embeddings;
            response.PromptEvalCount = result.PromptEvalCount;
        }

        response.TotalDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds;
        response.LoadDuration = result.LoadDuration;
        await JsonResponse.WriteAsync(http, response, OllamaJsonContext.Wire.EmbedResponse).ConfigureAwait(false);
    }

    public static async Task EmbeddingsAsync(HttpContext http, ModelResolver resolver, InferenceService inference)
    {
        var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Wire.EmbeddingRequest).ConfigureAwait(false);
        var model = Embeddings.ResolveForEmbeddings(resolver, request.Model);
        Embeddings.RequireEmbeddingModel(model, request.Model);
        var options = inference.EffectiveOptions(model, request.Options);
        var response = await inference.WithRunnerAsync(model, options, request.KeepAlive, async lease =>
        {
            await using (lease)
            {
                var response = new EmbeddingResponse();
                if (request.Prompt.Length > 0)
                {
                    // The legacy endpoint returns the raw (unnormalised) vector, as Ollama's does.
                    var result = await lease.Client.EmbedAsync(
                        new RunnerEmbeddingRequest { Inputs = [request.Prompt], Truncate = true, Normalize = false },
                        http.RequestAborted).ConfigureAwait(false);
                    ServerMetrics.RecordEmbedding(model.Name.DisplayShortest(), result.PromptEvalCount);
                    response.Embedding = Array.ConvertAll(result.Embeddings[0], f => (double)f);
                }

                return response;
            }
        }, http.RequestAborted).ConfigureAwait(false);

        await JsonResponse.WriteAsync(http, response, OllamaJsonContext.Wire.EmbeddingResponse).ConfigureAwait(false);
    }
}
