using System.Text.Json.Serialization;

namespace Corral.Gateway.Configuration;

/// <summary>One entry of <see cref="GatewayConfigFile.Backends"/>.</summary>
public sealed class GatewayConfigBackend
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("url")]
    public string Url { get; set; } = string.Empty;
}
