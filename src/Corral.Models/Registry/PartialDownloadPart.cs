using System.Text.Json.Serialization;

namespace Corral.Models.Registry;

/// <summary>One byte range of a download; <see cref="Completed"/> bytes from <see cref="Offset"/> are on disk.</summary>
public sealed class PartialDownloadPart
{
    [JsonPropertyName("offset")]
    public long Offset { get; set; }

    [JsonPropertyName("length")]
    public long Length { get; set; }

    [JsonPropertyName("completed")]
    public long Completed { get; set; }

    [JsonIgnore]
    public bool IsDone => Completed >= Length;
}
