using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary><c>stream_options</c>: include a final chunk with usage.</summary>
public sealed class StreamOptions
{
    [JsonPropertyName("include_usage")]
    public bool IncludeUsage { get; set; }
}
