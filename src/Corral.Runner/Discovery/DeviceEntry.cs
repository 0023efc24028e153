using System.Text.Json.Serialization;

namespace Corral.Runner.Discovery;

/// <summary>One ggml device as <c>corral devices</c> reports it (see <c>Corral.Llama.LlamaDevice</c>).</summary>
public sealed class DeviceEntry
{
    [JsonPropertyName("index")]
    public int Index { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("description")]
    public string Description { get; set; } = "";

    /// <summary>"cpu", "gpu", "igpu", "accel" or "meta".</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("free")]
    public long FreeBytes { get; set; }

    [JsonPropertyName("total")]
    public long TotalBytes { get; set; }

    [JsonIgnore]
    public bool IsGpu => Type is "gpu" or "igpu";
}
