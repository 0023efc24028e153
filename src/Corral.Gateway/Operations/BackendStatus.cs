using System.Text.Json.Serialization;

namespace Corral.Gateway.Operations;

/// <summary>One backend as <c>GET /gateway/backends</c> shows it.</summary>
public sealed class BackendStatus
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("url")]
    public string Url { get; set; } = string.Empty;

    [JsonPropertyName("up")]
    public bool Up { get; set; }

    [JsonPropertyName("draining")]
    public bool Draining { get; set; }

    [JsonPropertyName("in_flight")]
    public int InFlight { get; set; }

    [JsonPropertyName("queue_depth")]
    public int QueueDepth { get; set; }

    [JsonPropertyName("loaded")]
    public List<string> Loaded { get; set; } = [];

    [JsonPropertyName("error")]
    public string? Error { get; set; }
}
