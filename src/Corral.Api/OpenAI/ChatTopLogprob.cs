using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>An alternative token at one position.</summary>
public sealed class ChatTopLogprob
{
    [JsonPropertyName("token")]
    public string Token { get; set; } = string.Empty;

    [JsonPropertyName("logprob")]
    public double Logprob { get; set; }

    [JsonPropertyName("bytes")]
    public IReadOnlyList<int>? Bytes { get; set; }
}
