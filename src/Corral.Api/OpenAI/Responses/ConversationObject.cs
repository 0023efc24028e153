using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>A conversation: <c>{"id": "conv_...", "object": "conversation", "created_at", "metadata"}</c>.</summary>
public sealed class ConversationObject
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "conversation";

    [JsonPropertyName("created_at")]
    public long CreatedAt { get; set; }

    [JsonPropertyName("metadata")]
    public JsonElement Metadata { get; set; }
}
