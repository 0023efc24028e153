using System.Text;
using System.Text.Json;
using Corral.Api.OpenAI.Responses;
using Corral.Server.Http;
using Corral.Server.OpenAI.Responses.Storage;
using Corral.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI.Responses;

/// <summary>
/// The stored-response routes: <c>GET</c> and <c>DELETE /v1/responses/{id}</c>, <c>GET .../input_items</c> and
/// <c>POST .../cancel</c>. A response another key made is as unknown as one never made: 404.
/// </summary>
internal static class StoredResponsesHandler
{
    public static async Task GetAsync(HttpContext http, string id, ResponseStorage storage)
    {
        IncludeValues.Check(http.Request.Query["include"].Concat(http.Request.Query["include[]"]));
        if (http.Request.Query["stream"].ToString() is "true")
        {
            throw ApiException.BadRequest("stream=true is not supported when retrieving a response: poll without it");
        }

        var row = Find(storage, http, id);
        await WriteStoredAsync(http, row.ResponseJson).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(HttpContext http, string id, ResponseStorage storage, BackgroundResponses background)
    {
        var row = Find(storage, http, id);
        await background.CancelAsync(row.Id).ConfigureAwait(false);
        if (!storage.RequireResponses.Delete(id, ApiKeyOwner.Of(http)))
        {
            throw NotFound(id);
        }

        await JsonResponse.WriteAsync(http, new DeletedObject { Id = id, ObjectType = "response" }, ResponsesJsonContext.Wire.DeletedObject).ConfigureAwait(false);
    }

    public static async Task InputItemsAsync(HttpContext http, string id, ResponseStorage storage)
    {
        var query = ListQuery.From(http.Request);
        var row = Find(storage, http, id);
        var items = JsonSerializer.Deserialize(row.InputItemsJson, ResponsesJsonContext.Default.IReadOnlyListResponsesInputItem)!;
        await JsonResponse.WriteAsync(http, StoredItems.Page(items, query), ResponsesJsonContext.Wire.ResponseItemList).ConfigureAwait(false);
    }

    /// <summary>Stops a background response and answers its state once stored; one that already ended is answered as it is.</summary>
    public static async Task CancelAsync(HttpContext http, string id, ResponseStorage storage, BackgroundResponses background)
    {
        var row = Find(storage, http, id);
        if (!row.Background)
        {
            throw ApiException.BadRequest("Only responses created with background=true can be cancelled.");
        }

        if (await background.CancelAsync(id).ConfigureAwait(false))
        {
            row = Find(storage, http, id);
        }

        await WriteStoredAsync(http, row.ResponseJson).ConfigureAwait(false);
    }

    private static StoredResponse Find(ResponseStorage storage, HttpContext http, string id) =>
        storage.Responses?.Get(id, ApiKeyOwner.Of(http)) ?? throw NotFound(id);

    private static ApiException NotFound(string id) => ApiException.NotFound($"Response with id '{id}' not found.");

    /// <summary>The stored JSON is already the wire form.</summary>
    private static async Task WriteStoredAsync(HttpContext http, string json)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json), http.RequestAborted).ConfigureAwait(false);
    }
}
