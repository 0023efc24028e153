using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>A response's <c>conversation</c>: <c>{"id": "conv_..."}</c>.</summary>
public sealed class ResponseConversationRef
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;
}
