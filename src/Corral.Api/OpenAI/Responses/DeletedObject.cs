using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>The answer to a DELETE: <c>{"id", "object", "deleted": true}</c> (object "response", "conversation.deleted", ...).</summary>
public sealed class DeletedObject
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = string.Empty;

    [JsonPropertyName("deleted")]
    public bool Deleted { get; set; } = true;
}
