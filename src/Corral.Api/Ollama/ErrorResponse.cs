using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Ollama's error body, also sent as a line mid-stream: <c>{"error": "..."}</c>.</summary>
public sealed class ErrorResponse
{
    public ErrorResponse()
    {
    }

    public ErrorResponse(string error) => Error = error;

    [JsonPropertyName("error")]
    public string Error { get; set; } = string.Empty;
}
