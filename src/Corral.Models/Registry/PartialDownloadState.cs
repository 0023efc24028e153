using System.Text.Json.Serialization;

namespace Corral.Models.Registry;

/// <summary>
/// What a download has on disk so far, kept as <c>sha256-&lt;hex&gt;-partial.json</c> next to the
/// <c>-partial</c> data file so that a later pull (even after a restart) continues where this one stopped.
/// </summary>
public sealed class PartialDownloadState
{
    [JsonPropertyName("digest")]
    public string Digest { get; set; } = "";

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("parts")]
    public List<PartialDownloadPart> Parts { get; set; } = [];

    [JsonIgnore]
    public long Completed => Parts.Sum(p => p.Completed);
}
