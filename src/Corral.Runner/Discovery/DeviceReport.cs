using System.Text.Json.Serialization;

namespace Corral.Runner.Discovery;

/// <summary>What <c>corral devices</c> found: the llama.cpp build loaded and the devices its backends registered.</summary>
public sealed class DeviceReport
{
    /// <summary>"cpu", "vulkan" or "cuda".</summary>
    [JsonPropertyName("backend")]
    public string Backend { get; set; } = "cpu";

    [JsonPropertyName("library_dir")]
    public string LibraryDirectory { get; set; } = "";

    /// <summary>Why a GPU build was wanted but not used, else null.</summary>
    [JsonPropertyName("note")]
    public string? Note { get; set; }

    [JsonPropertyName("devices")]
    public List<DeviceEntry> Devices { get; set; } = [];

    /// <summary>Why discovery failed (the build did not load), else null.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; set; }
}
