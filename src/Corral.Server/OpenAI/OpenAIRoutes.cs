using Corral.Server.Http;
using Corral.Server.OpenAI.Conversations;
using Corral.Server.OpenAI.Responses;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Server.OpenAI;

/// <summary>The OpenAI-compatible surface under <c>/v1</c>: adapters onto the native inference path.</summary>
public static class OpenAIRoutes
{
    public static IEndpointRouteBuilder MapOpenAIRoutes(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/v1");
        v1.AddEndpointFilter(new ShapedErrorFilter(OpenAIErrors.WriteAsync));
        v1.MapPost("/chat/completions", ChatCompletionsHandler.HandleAsync);
        v1.MapPost("/completions", CompletionsHandler.HandleAsync);
        v1.MapPost("/embeddings", EmbeddingsHandler.HandleAsync);
        v1.MapPost("/responses", ResponsesHandler.HandleAsync);
        v1.MapGet("/responses/{id}", StoredResponsesHandler.GetAsync);
        v1.MapDelete("/responses/{id}", StoredResponsesHandler.DeleteAsync);
        v1.MapGet("/responses/{id}/input_items", StoredResponsesHandler.InputItemsAsync);
        v1.MapPost("/responses/{id}/cancel", StoredResponsesHandler.CancelAsync);
        v1.MapPost("/conversations", ConversationsHandler.CreateAsync);
        v1.MapGet("/conversations/{id}", ConversationsHandler.GetAsync);
        v1.MapPost("/conversations/{id}", ConversationsHandler.UpdateAsync);
        v1.MapDelete("/conversations/{id}", ConversationsHandler.DeleteAsync);
        v1.MapGet("/conversations/{id}/items", ConversationsHandler.ListItemsAsync);
        v1.MapPost("/conversations/{id}/items", ConversationsHandler.AddItemsAsync);
        v1.MapGet("/conversations/{id}/items/{itemId}", ConversationsHandler.GetItemAsync);
        v1.MapDelete("/conversations/{id}/items/{itemId}", ConversationsHandler.DeleteItemAsync);
        v1.MapPost("/rerank", Ollama.Inference.RerankHandler.HandleAsync); // llama-server's and Jina's path; not an OpenAI API
        v1.MapMethods("/models", [HttpMethods.Get], ModelsHandler.ListAsync);
        v1.MapMethods("/models/{**model}", [HttpMethods.Get], ModelsHandler.GetAsync);
        return routes;
    }
}
