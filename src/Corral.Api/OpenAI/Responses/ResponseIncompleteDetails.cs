using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>Why a response stopped early: <c>max_output_tokens</c>.</summary>
public sealed class ResponseIncompleteDetails
{
    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "max_output_tokens";
}
