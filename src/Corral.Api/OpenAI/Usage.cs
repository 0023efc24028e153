using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Token counts.</summary>
public sealed class Usage
{
    [JsonPropertyName("prompt_tokens")]
    public int PromptTokens { get; set; }

    [JsonPropertyName("completion_tokens")]
    public int CompletionTokens { get; set; }

    [JsonPropertyName("total_tokens")]
    public int TotalTokens { get; set; }

    /// <summary>The part of <see cref="PromptTokens"/> served from the prefix cache (chat and completions only).</summary>
    [JsonPropertyName("prompt_tokens_details")]
    public PromptTokensDetails? PromptTokensDetails { get; set; }
}
