using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>An image block's source: <c>{"type":"base64","media_type":"image/png","data":"..."}</c> (or type "url").</summary>
public sealed class ImageSource
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("media_type")]
    public string? MediaType { get; set; }

    [JsonPropertyName("data")]
    public string? Data { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }
}
