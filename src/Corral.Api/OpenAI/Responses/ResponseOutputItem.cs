using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>
/// One output item, flat over its kinds: a <c>reasoning</c> item (<see cref="Summary"/>), an assistant
/// <c>message</c> (<see cref="Role"/>, <see cref="Content"/>) or a <c>function_call</c>
/// (<see cref="CallId"/>, <see cref="Name"/>, <see cref="Arguments"/>).
/// </summary>
public sealed class ResponseOutputItem
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("type")]
    public string Type { get; set; } = "message";

    /// <summary>in_progress, completed or incomplete (messages and function calls).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("content")]
    public List<ResponseContentPart>? Content { get; set; }

    [JsonPropertyName("call_id")]
    public string? CallId { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("arguments")]
    public string? Arguments { get; set; }

    [JsonPropertyName("summary")]
    public List<ResponseContentPart>? Summary { get; set; }

    /// <summary>The plain thinking (as Ollama writes it), so a client passing the item back gives it back to the model.</summary>
    [JsonPropertyName("encrypted_content")]
    public string? EncryptedContent { get; set; }
}
