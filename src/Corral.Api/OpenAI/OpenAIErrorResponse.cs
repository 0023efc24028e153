using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed class OpenAIErrorResponse
{
    public OpenAIErrorResponse()
    {
    }

    public OpenAIErrorResponse(string message, string type)
    {
        Error = new OpenAIError { Message = message, Type = type };
    }

    [JsonPropertyName("error")]
    public OpenAIError Error { get; set; } = new();
}
