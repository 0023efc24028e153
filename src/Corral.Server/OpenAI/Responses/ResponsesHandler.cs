using System.Diagnostics;
using Corral.Api.OpenAI.Responses;
using Corral.Server.Http;
using Corral.Server.Inference;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI.Responses;

/// <summary>
/// <c>POST /v1/responses</c> (stateless): translated to a native chat request, run through the
/// <see cref="CompletionPreparer"/>, and the completion events assembled into output items.
/// </summary>
internal static class ResponsesHandler
{
    public static async Task HandleAsync(HttpContext http, CompletionPreparer preparer)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, ResponsesJsonContext.Default.ResponsesRequest).ConfigureAwait(false);
        var native = ResponsesTranslation.ToNative(request);
        var model = preparer.ResolveForChat(native);
        var options = preparer.Inference.EffectiveOptions(model, native.Options);
        await using var prepared = await preparer.PrepareChatAsync(model, native, options, started, http.RequestAborted, ToolChoices.Requirement(request.ToolChoice, request.ParallelToolCalls)).ConfigureAwait(false);
        var response = ResponseEcho.Create(request);
        var events = prepared.EventsAsync(http.RequestAborted);
        if (request.Stream)
        {
            await StreamAsync(http, response, events).ConfigureAwait(false);
            return;
        }

        var assembler = new ResponseAssembler(response);
        await foreach (var e in events.ConfigureAwait(false))
        {
            assembler.Add(e);
        }

        await JsonResponse.WriteAsync(http, assembler.Response, ResponsesJsonContext.Wire.ResponseObject).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext http, ResponseObject response, IAsyncEnumerable<CompletionEvent> events)
    {
        using var sse = new SseStream(http);
        var written = false;
        var assembler = new ResponseAssembler(response, e =>
        {
            sse.Write(e.Type, e, ResponsesJsonContext.Wire.ResponseStreamEvent);
            written = true;
        });
        assembler.Begin();
        await sse.FlushAsync().ConfigureAwait(false);
        try
        {
            await foreach (var e in events.ConfigureAwait(false))
            {
                written = false;
                assembler.Add(e);
                if (written)
                {
                    await sse.FlushAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            var (status, message) = ErrorHandlingMiddleware.MapStreamFailure(http, ex);
            assembler.Fail(status, message);
            await sse.FlushAsync().ConfigureAwait(false);
        }
    }
}
