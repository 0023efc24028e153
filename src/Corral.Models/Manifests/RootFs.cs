using System.Text.Json.Serialization;

namespace Corral.Models.Manifests;

/// <summary>The <c>rootfs</c> member of the config blob, required by the image spec.</summary>
public sealed class RootFs
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "layers";

    [JsonPropertyName("diff_ids")]
    public List<string> DiffIds { get; set; } = [];
}
