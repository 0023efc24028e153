using System.Diagnostics;
using Corral.Api.OpenAI.Responses;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.OpenAI.Responses.Storage;
using Corral.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI.Responses;

/// <summary>
/// <c>POST /v1/responses</c>: translated to a native chat request (after the stored history it continues, if
/// any), run through the <see cref="CompletionPreparer"/>, the completion events assembled into output items,
/// and the finished response stored (unless <c>store</c> is false), or run in the background.
/// </summary>
internal static class ResponsesHandler
{
    public static async Task HandleAsync(HttpContext http, CompletionPreparer preparer, ResponseStorage storage, BackgroundResponses background)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await RequestJson.ReadAsync(http, ResponsesJsonContext.Default.ResponsesRequest).ConfigureAwait(false);
        IncludeValues.Check(request.Include);
        var turn = ResponseTurn.Prepare(request, storage, ApiKeyOwner.Of(http));
        var native = ResponsesTranslation.ToOllama(request);
        var plan = preparer.PlanChat(native, started, new CompletionExtras { ToolCalls = ToolChoices.Requirement(request.ToolChoice, request.ParallelToolCalls) });
        var response = turn.NewResponse(request);
        if (response.Background)
        {
            response.Status = "queued";
            storage.RequireResponses.Insert(response, turn.Owner, turn.Input, null);
            var queued = Clone(response);
            background.Start(response.Id, cancellation => BackgroundRun.RunAsync(storage.RequireResponses, background, response, turn, cancellation, ct => plan.StartAsync(ct)));
            await JsonResponse.WriteAsync(http, queued, ResponsesJsonContext.Wire.ResponseObject).ConfigureAwait(false);
            return;
        }

        await using var prepared = await plan.StartAsync(http.RequestAborted).ConfigureAwait(false);
        var events = prepared.EventsAsync(http.RequestAborted);
        if (request.Stream)
        {
            await StreamAsync(http, response, events, () => Save(storage, turn, response)).ConfigureAwait(false);
            return;
        }

        var assembler = new ResponseAssembler(response);
        await foreach (var e in events.ConfigureAwait(false))
        {
            assembler.Add(e);
        }

        Save(storage, turn, response);
        await JsonResponse.WriteAsync(http, assembler.Response, ResponsesJsonContext.Wire.ResponseObject).ConfigureAwait(false);
    }

    /// <summary>A finished turn is stored whole (with what it adds to its conversation) before the client sees it end.</summary>
    private static void Save(ResponseStorage storage, ResponseTurn turn, ResponseObject response)
    {
        if (!turn.Store)
        {
            return;
        }

        storage.RequireResponses.Insert(response, turn.Owner, turn.Input, turn.ConversationItems(response));
        storage.Saved();
    }

    private static async Task StreamAsync(HttpContext http, ResponseObject response, IAsyncEnumerable<CompletionEvent> events, Action save)
    {
        using var sse = new SseStream(http);
        var written = false;
        var saved = false;
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
                if (!saved && response.Status != "in_progress")
                {
                    // The final event is still buffered: a client that reads it and asks for the response finds it.
                    save();
                    saved = true;
                }

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
            if (!saved)
            {
                save();
            }

            await sse.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A copy to answer with, since the background run goes on changing the original.</summary>
    internal static ResponseObject Clone(ResponseObject response) =>
        System.Text.Json.JsonSerializer.Deserialize(System.Text.Json.JsonSerializer.Serialize(response, ResponsesJsonContext.Default.ResponseObject), ResponsesJsonContext.Default.ResponseObject)!;
}
