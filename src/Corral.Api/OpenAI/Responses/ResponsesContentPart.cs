using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>
/// One part of input content: <c>input_text</c> / <c>output_text</c> (<see cref="Text"/>), <c>input_image</c>
/// (<see cref="ImageUrl"/>, a data URL; <c>file_id</c> is not supported), or <c>input_file</c> (not supported).
/// </summary>
public sealed class ResponsesContentPart
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "input_text";

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    /// <summary>An <c>output_text</c> part's annotations (always empty from Corral), kept when items are listed back.</summary>
    [JsonPropertyName("annotations")]
    public IReadOnlyList<System.Text.Json.JsonElement>? Annotations { get; set; }

    [JsonPropertyName("image_url")]
    public string? ImageUrl { get; set; }

    [JsonPropertyName("detail")]
    public string? Detail { get; set; }

    [JsonPropertyName("file_id")]
    public string? FileId { get; set; }

    /// <summary>An assistant refusal passed back (<c>type</c> "refusal").</summary>
    [JsonPropertyName("refusal")]
    public string? Refusal { get; set; }
}
