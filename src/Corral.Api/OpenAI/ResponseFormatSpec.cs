using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary><c>response_format</c>: {"type":"text"|"json_object"|"json_schema","json_schema":{...}}.</summary>
public sealed class ResponseFormatSpec
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "text";

    [JsonPropertyName("json_schema")]
    public JsonSchemaSpec? JsonSchema { get; set; }
}
