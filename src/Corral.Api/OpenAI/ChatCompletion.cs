using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Non-streamed answer of <c>/v1/chat/completions</c> (<c>object</c> = "chat.completion").</summary>
public sealed class ChatCompletion
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "chat.completion";

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
