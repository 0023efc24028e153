using Corral.Api.OpenAI.Responses;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.OpenAI.Responses.Storage;

namespace Corral.Server.OpenAI.Responses;

/// <summary>
/// One background response from queued to its end: <c>in_progress</c> while it runs, then completed, incomplete
/// or failed as a foreground one would end, <c>cancelled</c> when a client cancelled it, or incomplete
/// (<c>interrupted</c>) when the server stopped. Each state is one whole write of the row.
/// </summary>
internal static class BackgroundRun
{
    public static async Task RunAsync(ResponseStore store, BackgroundResponses background, ResponseObject response, ResponseTurn turn, BackgroundCancellation cancellation, Func<CancellationToken, Task<PreparedCompletion>> prepare)
    {
        var token = cancellation.Token;
        try
        {
            response.Status = "in_progress";
            if (!store.Update(response))
            {
                return; // deleted before it started
            }

            await using var prepared = await prepare(token).ConfigureAwait(false);
            var assembler = new ResponseAssembler(response);
            await foreach (var e in prepared.EventsAsync(token).ConfigureAwait(false))
            {
                assembler.Add(e);
            }

            store.Update(response, turn.ConversationItems(response));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            if (cancellation.ByClient)
            {
                response.Status = "cancelled";
            }
            else
            {
                ResponseStore.MarkInterrupted(response);
            }

            foreach (var item in response.Output.Where(i => i.Status == "in_progress"))
            {
                item.Status = "incomplete";
            }

            store.Update(response);
        }
        catch (Exception ex)
        {
            var (status, message) = ErrorHandlingMiddleware.Map(ex);
            if (status >= 500)
            {
                background.Failed(response.Id, ex);
            }
            response.Status = "failed";
            response.Error = new ResponseError { Code = status >= 500 ? "server_error" : "invalid_prompt", Message = message };
            store.Update(response);
        }
    }
}
