using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>OpenAI's breakdown of <see cref="Usage.PromptTokens"/>: how many of them came from the prompt cache.</summary>
public sealed class PromptTokensDetails
{
    [JsonPropertyName("cached_tokens")]
    public int CachedTokens { get; set; }
}
