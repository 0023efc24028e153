using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary><c>text</c>: the output's format.</summary>
public sealed class ResponsesText
{
    [JsonPropertyName("format")]
    public ResponsesTextFormat? Format { get; set; }
}
