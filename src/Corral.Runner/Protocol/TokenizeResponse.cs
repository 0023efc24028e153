using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

public sealed class TokenizeResponse
{
    [JsonPropertyName("tokens")] public int[] Tokens { get; set; } = [];
}
