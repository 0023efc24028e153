using Corral.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Server.Anthropic;

/// <summary>The Anthropic Messages surface: adapters onto the native inference path, answering errors in Anthropic's shape.</summary>
public static class AnthropicRoutes
{
    public static IEndpointRouteBuilder MapAnthropicRoutes(this IEndpointRouteBuilder routes)
    {
        var messages = routes.MapGroup("/v1/messages");
        messages.AddEndpointFilter(new ShapedErrorFilter(AnthropicErrors.WriteAsync));
        messages.MapPost(string.Empty, MessagesHandler.HandleAsync);
        messages.MapPost("/count_tokens", CountTokensHandler.HandleAsync);
        return routes;
    }
}
