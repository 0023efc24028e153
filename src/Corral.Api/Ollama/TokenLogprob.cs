using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>A token and its log probability (one of the alternatives in <see cref="Logprob.TopLogprobs"/>).</summary>
public sealed class TokenLogprob
{
    [JsonPropertyName("token")]
    public string Token { get; set; } = string.Empty;

    [JsonPropertyName("logprob")]
    public double Value { get; set; }

    /// <summary>The token's raw UTF-8 bytes (a token may hold part of a character).</summary>
    [JsonPropertyName("bytes")]
    public IReadOnlyList<int>? Bytes { get; set => field = OmitEmpty.List(value); }
}
