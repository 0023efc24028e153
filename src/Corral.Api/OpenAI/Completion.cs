using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Answer (or, with <c>stream</c>, one chunk) of <c>/v1/completions</c>; <c>object</c> = "text_completion".</summary>
public sealed class Completion
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "text_completion";

    [JsonPropertyName("created")]
    public long Created { get; set; }

    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("system_fingerprint")]
    public string SystemFingerprint { get; set; } = "fp_ollama";

    [JsonPropertyName("choices")]
    public IReadOnlyList<CompletionChoice> Choices { get; set; } = [];

    [JsonPropertyName("usage")]
    public Usage? Usage { get; set; }
}
