using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>
/// One input item, flat over its kinds: a message (<c>type</c> "message" or absent, with <c>role</c> and
/// <c>content</c>), a <c>function_call</c> the model made earlier, a <c>function_call_output</c> with its
/// result, or a <c>reasoning</c> item passed back.
/// </summary>
public sealed class ResponsesInputItem
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("role")]
    public string? Role { get; set; }

    /// <summary>A message's content: a string or parts.</summary>
    [JsonPropertyName("content")]
    public ResponsesContent? Content { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("call_id")]
    public string? CallId { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>A function call's arguments, as a JSON string.</summary>
    [JsonPropertyName("arguments")]
    public string? Arguments { get; set; }

    /// <summary>A function call's result: a string or parts.</summary>
    [JsonPropertyName("output")]
    public ResponsesContent? Output { get; set; }

    /// <summary>A reasoning item's summary.</summary>
    [JsonPropertyName("summary")]
    public IReadOnlyList<ResponseContentPart>? Summary { get; set; }

    /// <summary>A reasoning item's opaque content; Corral's own answers put the plain thinking here.</summary>
    [JsonPropertyName("encrypted_content")]
    public string? EncryptedContent { get; set; }
}
