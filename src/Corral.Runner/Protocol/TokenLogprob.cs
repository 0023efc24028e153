using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>Log probability of one token, with its text and bytes, as Ollama reports it.</summary>
public sealed class TokenLogprob
{
    [JsonPropertyName("token")] public string Token { get; set; } = string.Empty;
    [JsonPropertyName("logprob")] public double Logprob { get; set; }
    [JsonPropertyName("bytes")] public int[]? Bytes { get; set; }
    [JsonPropertyName("top_logprobs")] public List<TokenLogprob>? TopLogprobs { get; set; }
}
