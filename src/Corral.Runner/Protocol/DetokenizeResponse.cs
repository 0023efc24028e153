using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

public sealed class DetokenizeResponse
{
    [JsonPropertyName("content")] public string Content { get; set; } = string.Empty;
}
