namespace Corral.Server.OpenAI.Responses.Storage;

/// <summary>One row of <c>responses</c>: the response object and this turn's input items, as JSON.</summary>
public sealed record StoredResponse(
    string Id,
    string Owner,
    long CreatedAt,
    string Status,
    string Model,
    bool Background,
    string? PreviousResponseId,
    string? ConversationId,
    string InputItemsJson,
    string ResponseJson);
