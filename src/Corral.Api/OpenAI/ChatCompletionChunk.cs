using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>One SSE <c>data:</c> event of a streamed chat completion (<c>object</c> = "chat.completion.chunk").</summary>
public sealed class ChatCompletionChunk
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "chat.completion.chunk";

    [JsonPropertyName("created")]
    public long Created { get; set; }

    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("system_fingerprint")]
    public string SystemFingerprint { get; set; } = "fp_ollama";

    [JsonPropertyName("choices")]
    public IReadOnlyList<ChatChoice> Choices { get; set; } = [];

    [JsonPropertyName("usage")]
    public Usage? Usage { get; set; }
}
