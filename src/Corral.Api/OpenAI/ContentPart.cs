using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>One part of array content: <c>{"type":"text","text":...}</c> or <c>{"type":"image_url","image_url":{...}}</c>.</summary>
public sealed class ContentPart
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "text";

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("image_url")]
    public ImageUrl? ImageUrl { get; set; }
}
