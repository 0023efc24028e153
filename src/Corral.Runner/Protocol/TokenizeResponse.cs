using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

public sealed class TokenizeResponse
{
    [JsonPropertyName("tokens")] public int[] Tokens { get; set; } = [];

    /// <summary>Context positions each of the request's images takes with this model's projector, in order (null without images).</summary>
    [JsonPropertyName("image_tokens")] public int[]? ImageTokens { get; set; }
}
