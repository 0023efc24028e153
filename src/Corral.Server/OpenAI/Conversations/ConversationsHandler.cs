using System.Text.Json;
using Corral.Api.OpenAI.Responses;
using Corral.Server.Http;
using Corral.Server.OpenAI.Responses;
using Corral.Server.OpenAI.Responses.Storage;
using Corral.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI.Conversations;

/// <summary>
/// OpenAI's Conversations API: a conversation is a stored list of items that responses naming it read as their
/// history and add their turn to. Create, retrieve, update metadata, delete; list, add, retrieve and delete items.
/// </summary>
internal static class ConversationsHandler
{
    private const int MaxItemsPerAdd = 20;

    public static async Task CreateAsync(HttpContext http, ResponseStorage storage)
    {
        var request = await ReadAsync(http, allowEmpty: true).ConfigureAwait(false);
        var items = Items(request.Items, required: false);
        var conversation = storage.RequireConversations.Create(ApiKeyOwner.Of(http), CheckedMetadata(request.Metadata), items);
        await JsonResponse.WriteAsync(http, conversation, ResponsesJsonContext.Wire.ConversationObject).ConfigureAwait(false);
    }

    public static async Task GetAsync(HttpContext http, string id, ResponseStorage storage)
    {
        var conversation = Conversations(storage).Get(id, ApiKeyOwner.Of(http)) ?? throw NotFound(id);
        await JsonResponse.WriteAsync(http, conversation, ResponsesJsonContext.Wire.ConversationObject).ConfigureAwait(false);
    }

    public static async Task UpdateAsync(HttpContext http, string id, ResponseStorage storage)
    {
        var request = await ReadAsync(http, allowEmpty: false).ConfigureAwait(false);
        var metadata = CheckedMetadata(request.Metadata) ?? throw ApiException.BadRequest("metadata is required");
        var conversation = Conversations(storage).UpdateMetadata(id, ApiKeyOwner.Of(http), metadata) ?? throw NotFound(id);
        await JsonResponse.WriteAsync(http, conversation, ResponsesJsonContext.Wire.ConversationObject).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(HttpContext http, string id, ResponseStorage storage)
    {
        if (!Conversations(storage).Delete(id, ApiKeyOwner.Of(http)))
        {
            throw NotFound(id);
        }

        await JsonResponse.WriteAsync(http, new DeletedObject { Id = id, ObjectType = "conversation.deleted" }, ResponsesJsonContext.Wire.DeletedObject).ConfigureAwait(false);
    }

    public static async Task ListItemsAsync(HttpContext http, string id, ResponseStorage storage)
    {
        var query = ListQuery.From(http.Request);
        var items = Conversations(storage).Items(id, ApiKeyOwner.Of(http)) ?? throw NotFound(id);
        await JsonResponse.WriteAsync(http, StoredItems.Page(items, query), ResponsesJsonContext.Wire.ResponseItemList).ConfigureAwait(false);
    }

    public static async Task AddItemsAsync(HttpContext http, string id, ResponseStorage storage)
    {
        var request = await ReadAsync(http, allowEmpty: false).ConfigureAwait(false);
        var items = Items(request.Items, required: true);
        var added = Conversations(storage).Add(id, ApiKeyOwner.Of(http), items) ?? throw NotFound(id);
        var list = new ResponseItemList { Data = added, FirstId = added[0].Id, LastId = added[^1].Id, HasMore = false };
        await JsonResponse.WriteAsync(http, list, ResponsesJsonContext.Wire.ResponseItemList).ConfigureAwait(false);
    }

    public static async Task GetItemAsync(HttpContext http, string id, string itemId, ResponseStorage storage)
    {
        var items = Conversations(storage).Items(id, ApiKeyOwner.Of(http)) ?? throw NotFound(id);
        var item = items.Find(i => i.Id == itemId) ?? throw ApiException.NotFound($"Item with id '{itemId}' not found.");
        await JsonResponse.WriteAsync(http, item, ResponsesJsonContext.Wire.ResponsesInputItem).ConfigureAwait(false);
    }

    /// <summary>Answers the conversation, as OpenAI does.</summary>
    public static async Task DeleteItemAsync(HttpContext http, string id, string itemId, ResponseStorage storage)
    {
        var owner = ApiKeyOwner.Of(http);
        var conversations = Conversations(storage);
        var conversation = conversations.Get(id, owner) ?? throw NotFound(id);
        if (!conversations.DeleteItem(id, owner, itemId))
        {
            throw ApiException.NotFound($"Item with id '{itemId}' not found.");
        }

        await JsonResponse.WriteAsync(http, conversation, ResponsesJsonContext.Wire.ConversationObject).ConfigureAwait(false);
    }

    /// <summary>With storage off, the conversation routes say so (400).</summary>
    private static ConversationStore Conversations(ResponseStorage storage) => storage.RequireConversations;

    private static async Task<ConversationRequest> ReadAsync(HttpContext http, bool allowEmpty)
    {
        if (allowEmpty && http.Request.ContentLength is 0 or null && !http.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return new ConversationRequest();
        }

        return await RequestJson.ReadAsync(http, ResponsesJsonContext.Default.ConversationRequest).ConfigureAwait(false);
    }

    private static List<ResponsesInputItem> Items(IReadOnlyList<ResponsesInputItem>? items, bool required)
    {
        if (items is null or { Count: 0 })
        {
            return required ? throw ApiException.BadRequest("items is required and must not be empty") : [];
        }

        if (items.Count > MaxItemsPerAdd)
        {
            throw ApiException.BadRequest($"at most {MaxItemsPerAdd} items can be added at once, not {items.Count}");
        }

        var normalized = new List<ResponsesInputItem>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = StoredItems.Normalize(items[i]);
            if (item.Type is not ("message" or "function_call" or "function_call_output" or "reasoning"))
            {
                throw ApiException.BadRequest($"items[{i}]: unsupported item type \"{item.Type ?? "(none)"}\"");
            }

            normalized.Add(item);
        }

        // The whole request is checked as the model would read it, so a bad item is refused now rather than at the next response.
        ResponsesTranslation.Messages(new ResponsesRequest { Input = new ResponsesInput(normalized) });
        return normalized;
    }

    private static JsonElement? CheckedMetadata(JsonElement? metadata) => metadata switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } m => m,
        _ => throw ApiException.BadRequest("metadata must be an object of strings"),
    };

    private static ApiException NotFound(string id) => ApiException.NotFound($"Conversation with id '{id}' not found.");
}
