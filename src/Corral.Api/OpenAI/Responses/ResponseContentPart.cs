using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>An output part: <c>output_text</c> (with empty <c>annotations</c> and <c>logprobs</c>) or a reasoning <c>summary_text</c>.</summary>
public sealed class ResponseContentPart
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "output_text";

    [JsonPropertyName("text")]
    public string Text { get; set; } = string.Empty;

    [JsonPropertyName("annotations")]
    public IReadOnlyList<JsonElement>? Annotations { get; set; }

    [JsonPropertyName("logprobs")]
    public IReadOnlyList<JsonElement>? Logprobs { get; set; }

    public static ResponseContentPart OutputText(string text) => new() { Type = "output_text", Text = text, Annotations = [], Logprobs = [] };

    public static ResponseContentPart SummaryText(string text) => new() { Type = "summary_text", Text = text };
}
