using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>Log probability of one generated token, with the most likely alternatives when asked for.</summary>
public sealed class Logprob
{
    [JsonPropertyName("token")]
    public string Token { get; set; } = string.Empty;

    [JsonPropertyName("logprob")]
    public double Value { get; set; }

    [JsonPropertyName("bytes")]
    public IReadOnlyList<int>? Bytes { get; set => field = OmitEmpty.List(value); }

    [JsonPropertyName("top_logprobs")]
    public IReadOnlyList<TokenLogprob>? TopLogprobs { get; set => field = OmitEmpty.List(value); }
}
