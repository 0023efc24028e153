using System.Text.Json.Serialization;

namespace Corral.Api.Rerank;

public sealed class RerankDocument
{
    [JsonPropertyName("text")]
    public string Text { get; set; } = string.Empty;
}
