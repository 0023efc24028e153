using System.Diagnostics;
using Corral.Api.Anthropic;
using Corral.Server.Http;
using Corral.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Anthropic;

/// <summary><c>POST /v1/messages</c>: translated to a native chat request and run through the <see cref="CompletionPreparer"/>.</summary>
internal static class MessagesHandler
{
    public static async Task HandleAsync(HttpContext http, CompletionPreparer preparer)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, AnthropicJsonContext.Default.MessagesRequest).ConfigureAwait(false);
        var native = MessagesTranslation.ToOllama(request, requireMaxTokens: true);
        var plan = preparer.PlanChat(native, started, new CompletionExtras
        {
            RelaxThinking = true,
            ToolCalls = request.ToolChoice switch
            {
                { Type: "any" or "tool", DisableParallelToolUse: true } => ToolCallRequirement.One,
                { Type: "any" or "tool" } => ToolCallRequirement.OneOrMore,
                _ => ToolCallRequirement.None,
            },
        });
        await using var prepared = await plan.StartAsync(http.RequestAborted).ConfigureAwait(false);
        var id = AnthropicIds.NewMessageId();
        var events = prepared.EventsAsync(http.RequestAborted);
        if (request.Stream)
        {
            await StreamAsync(http, id, request.Model, prepared.PromptTokens, events).ConfigureAwait(false);
            return;
        }

        var accumulator = new MessageAccumulator();
        await foreach (var e in events.ConfigureAwait(false))
        {
            accumulator.Add(e);
        }

        await JsonResponse.WriteAsync(http, new MessageResponse
        {
            Id = id,
            Model = request.Model,
            Content = accumulator.Blocks,
            StopReason = accumulator.StopReason,
            StopSequence = accumulator.StopSequence,
            Usage = accumulator.Usage,
        }, AnthropicJsonContext.Wire.MessageResponse).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext http, string id, string model, int promptTokens, IAsyncEnumerable<CompletionEvent> events)
    {
        using var writer = new MessageStreamWriter(http, id, model, promptTokens);
        await writer.StartAsync().ConfigureAwait(false);
        try
        {
            await foreach (var e in events.ConfigureAwait(false))
            {
                if (writer.Add(e))
                {
                    await writer.FlushAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            var (status, message) = ErrorHandlingMiddleware.MapStreamFailure(http, ex);
            await writer.WriteErrorAsync(status, message).ConfigureAwait(false);
        }
    }
}
