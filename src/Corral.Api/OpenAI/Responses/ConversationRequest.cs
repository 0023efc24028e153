using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>
/// Body of <c>POST /v1/conversations</c> (items and metadata), of <c>POST /v1/conversations/{id}</c> (metadata)
/// and of <c>POST /v1/conversations/{id}/items</c> (items).
/// </summary>
public sealed class ConversationRequest
{
    [JsonPropertyName("items")]
    public IReadOnlyList<ResponsesInputItem>? Items { get; set; }

    [JsonPropertyName("metadata")]
    public JsonElement? Metadata { get; set; }
}
