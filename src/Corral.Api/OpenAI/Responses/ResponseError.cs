using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>A failed response's <c>error</c>: <c>{"code", "message"}</c>.</summary>
public sealed class ResponseError
{
    [JsonPropertyName("code")]
    public string Code { get; set; } = "server_error";

    [JsonPropertyName("message")]
    public string Message { get; set; } = string.Empty;
}
