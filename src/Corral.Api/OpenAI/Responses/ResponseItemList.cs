using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>OpenAI's cursor page of items: <c>{"object": "list", "data", "first_id", "last_id", "has_more"}</c>.</summary>
public sealed class ResponseItemList
{
    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "list";

    [JsonPropertyName("data")]
    public IReadOnlyList<ResponsesInputItem> Data { get; set; } = [];

    [JsonPropertyName("first_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FirstId { get; set; }

    [JsonPropertyName("last_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? LastId { get; set; }

    [JsonPropertyName("has_more")]
    public bool HasMore { get; set; }
}
