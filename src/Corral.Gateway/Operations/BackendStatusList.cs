using System.Text.Json.Serialization;

namespace Corral.Gateway.Operations;

/// <summary>The answer of <c>GET /gateway/backends</c> and of drain/resume.</summary>
public sealed class BackendStatusList
{
    [JsonPropertyName("backends")]
    public List<BackendStatus> Backends { get; set; } = [];
}
