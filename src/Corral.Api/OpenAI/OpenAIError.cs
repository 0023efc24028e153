using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>The inner object of OpenAI's error body.</summary>
public sealed class OpenAIError
{
    [JsonPropertyName("message")]
    public string Message { get; set; } = string.Empty;

    /// <summary>"invalid_request_error", "api_error", "not_found_error".</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "api_error";

    [JsonPropertyName("param")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; set; }

    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Code { get; set; }
}
