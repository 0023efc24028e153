using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Server.Ollama.Inference;

/// <summary>generate, chat, embed, embeddings, rerank, tokenize and detokenize (Corral extensions), ps.</summary>
public static class InferenceRoutes
{
    public static IEndpointRouteBuilder MapInferenceRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/generate", GenerateHandler.HandleAsync);
        routes.MapPost("/api/chat", ChatHandler.HandleAsync);
        routes.MapPost("/api/embed", EmbedHandler.EmbedAsync);
        routes.MapPost("/api/embeddings", EmbedHandler.EmbeddingsAsync);
        routes.MapPost("/api/rerank", RerankHandler.HandleAsync);
        routes.MapPost("/api/tokenize", TokenizeHandler.TokenizeAsync);
        routes.MapPost("/api/detokenize", TokenizeHandler.DetokenizeAsync);
        routes.MapMethods("/api/ps", [HttpMethods.Get], PsHandler.HandleAsync);
        return routes;
    }
}
