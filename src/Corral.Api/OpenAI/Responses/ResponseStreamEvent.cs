using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>
/// One streamed event, flat over its types (<c>response.created</c>, <c>response.output_text.delta</c>, ...,
/// <c>error</c>): only the fields its type has are set. Every event carries a <c>sequence_number</c>.
/// </summary>
public sealed class ResponseStreamEvent
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("sequence_number")]
    public int SequenceNumber { get; set; }

    /// <summary>Lifecycle events: the whole response as it stands.</summary>
    [JsonPropertyName("response")]
    public ResponseObject? Response { get; set; }

    [JsonPropertyName("output_index")]
    public int? OutputIndex { get; set; }

    [JsonPropertyName("item_id")]
    public string? ItemId { get; set; }

    [JsonPropertyName("content_index")]
    public int? ContentIndex { get; set; }

    [JsonPropertyName("summary_index")]
    public int? SummaryIndex { get; set; }

    [JsonPropertyName("item")]
    public ResponseOutputItem? Item { get; set; }

    [JsonPropertyName("part")]
    public ResponseContentPart? Part { get; set; }

    [JsonPropertyName("delta")]
    public string? Delta { get; set; }

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("arguments")]
    public string? Arguments { get; set; }

    [JsonPropertyName("logprobs")]
    public IReadOnlyList<JsonElement>? Logprobs { get; set; }

    /// <summary>The <c>error</c> event: code, message and param (null).</summary>
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("param")]
    public string? Param { get; set; }
}
