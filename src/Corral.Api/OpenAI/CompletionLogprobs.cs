using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>The legacy completions <c>logprobs</c> object: parallel arrays, one entry per token.</summary>
public sealed class CompletionLogprobs
{
    [JsonPropertyName("tokens")]
    public List<string> Tokens { get; set; } = [];

    [JsonPropertyName("token_logprobs")]
    public List<double> TokenLogprobs { get; set; } = [];

    /// <summary>Per position, alternative token → log probability.</summary>
    [JsonPropertyName("top_logprobs")]
    public List<Dictionary<string, double>> TopLogprobs { get; set; } = [];

    /// <summary>Character offset of each token in the choice's text.</summary>
    [JsonPropertyName("text_offset")]
    public List<int> TextOffset { get; set; } = [];
}
