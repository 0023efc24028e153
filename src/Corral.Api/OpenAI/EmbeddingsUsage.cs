using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>
/// Token counts of <c>/v1/embeddings</c>: OpenAI's shape has no completion_tokens (nothing is generated), so it is
/// not the chat/completions <see cref="Usage"/>.
/// </summary>
public sealed class EmbeddingsUsage
{
    [JsonPropertyName("prompt_tokens")]
    public int PromptTokens { get; set; }

    [JsonPropertyName("total_tokens")]
    public int TotalTokens { get; set; }
}
