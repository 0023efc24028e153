using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary>The inner error: type (invalid_request_error, not_found_error, api_error, overloaded_error, ...) and message.</summary>
public sealed class AnthropicError
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "api_error";

    [JsonPropertyName("message")]
    public string Message { get; set; } = string.Empty;
}
