using Microsoft.AspNetCore.Routing;

namespace Corral.Server.Native.Inference;

/// <summary>generate, chat, embed, embeddings, ps.</summary>
public static class InferenceRoutes
{
    public static IEndpointRouteBuilder MapInferenceRoutes(this IEndpointRouteBuilder routes) => routes;
}
