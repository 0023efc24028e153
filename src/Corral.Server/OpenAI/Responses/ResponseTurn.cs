using System.Text.Json;
using Corral.Api.OpenAI.Responses;
using Corral.Server.Http;
using Corral.Server.OpenAI.Responses.Storage;

namespace Corral.Server.OpenAI.Responses;

/// <summary>
/// One request's place in stored state: whether it is stored, the turn's own input items (with ids), and what
/// came before it (a previous response's chain, or a conversation's items), which is put in front of the input.
/// </summary>
internal sealed class ResponseTurn
{
    private ResponseTurn(bool store, string owner, List<ResponsesInputItem> input, string? conversationId)
    {
        Store = store;
        Owner = owner;
        Input = input;
        ConversationId = conversationId;
    }

    public bool Store { get; }

    public string Owner { get; }

    /// <summary>This turn's input items, as stored and listed by input_items.</summary>
    public List<ResponsesInputItem> Input { get; }

    public string? ConversationId { get; }

    /// <summary>
    /// Checks the stateful parameters and looks up the history; <paramref name="request"/>'s input becomes the
    /// history followed by this turn's input, which is what the model is shown.
    /// </summary>
    public static ResponseTurn Prepare(ResponsesRequest request, ResponseStorage storage, string owner)
    {
        var conversationId = ParseConversationId(request.Conversation);
        var background = request.Background == true;
        var stateful = request.PreviousResponseId is not null || conversationId is not null || background;
        if (stateful && !storage.Enabled)
        {
            storage.EnsureEnabled();
        }

        var store = storage.Enabled && (request.Store ?? true);
        if (background && !store)
        {
            throw ApiException.BadRequest("background responses must be stored: store cannot be false with background true");
        }

        if (background && request.Stream)
        {
            throw ApiException.BadRequest("background responses cannot be streamed by Corral: poll GET /v1/responses/{id} instead");
        }

        if (request.PreviousResponseId is not null && conversationId is not null)
        {
            throw ApiException.BadRequest("previous_response_id and conversation cannot be used together");
        }

        var input = StoredItems.FromInput(request.Input);
        List<ResponsesInputItem>? history = null;
        if (request.PreviousResponseId is { } previous)
        {
            history = storage.RequireResponses.History(previous, owner)
                ?? throw ApiException.BadRequest($"Previous response with id '{previous}' not found.");
        }
        else if (conversationId is not null)
        {
            history = storage.RequireConversations.Items(conversationId, owner)
                ?? throw ApiException.NotFound($"Conversation with id '{conversationId}' not found.");
        }

        if (history is { Count: > 0 } && request.Input is not null)
        {
            request.Input = new ResponsesInput([.. history, .. input]);
        }

        return new ResponseTurn(store, owner, input, conversationId);
    }

    /// <summary>The response object before any output, with the stored state echoed.</summary>
    public ResponseObject NewResponse(ResponsesRequest request)
    {
        var response = ResponseEcho.Create(request);
        response.Store = Store;
        response.Background = request.Background == true;
        response.PreviousResponseId = request.PreviousResponseId;
        response.Conversation = ConversationId is { } id ? new ResponseConversationRef { Id = id } : null;
        return response;
    }

    /// <summary>What a finished turn adds to its conversation: its input, then its output.</summary>
    public List<ResponsesInputItem>? ConversationItems(ResponseObject response) =>
        ConversationId is null ? null : [.. Input, .. response.Output.Select(StoredItems.FromOutput)];

    /// <summary><c>conversation</c> is an id or <c>{"id": ...}</c>.</summary>
    private static string? ParseConversationId(JsonElement? conversation) => conversation switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } s when s.GetString() is { Length: > 0 } id => id,
        { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text => text,
        _ => throw ApiException.BadRequest("conversation must be a conversation id or an object with an \"id\""),
    };
}
