using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>One generated token with its log probability and the most likely alternatives.</summary>
public sealed class ChatTokenLogprob
{
    [JsonPropertyName("token")]
    public string Token { get; set; } = string.Empty;

    [JsonPropertyName("logprob")]
    public double Logprob { get; set; }

    /// <summary>UTF-8 bytes of the token (a token may hold part of a character).</summary>
    [JsonPropertyName("bytes")]
    public IReadOnlyList<int>? Bytes { get; set; }

    /// <summary>Always written (empty when no alternatives were asked for), as OpenAI does.</summary>
    [JsonPropertyName("top_logprobs")]
    public IReadOnlyList<ChatTopLogprob> TopLogprobs { get; set; } = [];
}
