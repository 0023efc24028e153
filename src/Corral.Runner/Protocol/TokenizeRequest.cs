using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

public sealed class TokenizeRequest
{
    [JsonPropertyName("content")] public string Content { get; set; } = string.Empty;
    [JsonPropertyName("add_special")] public bool AddSpecial { get; set; } = true;
    [JsonPropertyName("parse_special")] public bool ParseSpecial { get; set; } = true;
}
