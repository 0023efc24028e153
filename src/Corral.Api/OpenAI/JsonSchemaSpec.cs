using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>The named schema inside a <c>json_schema</c> response format.</summary>
public sealed class JsonSchemaSpec
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("schema")]
    public JsonElement? Schema { get; set; }

    [JsonPropertyName("strict")]
    public bool? Strict { get; set; }
}
