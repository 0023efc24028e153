using System.Net;

namespace Corral.Api.Client;

/// <summary>An error answer from an Ollama-compatible server: its status code and its <c>"error"</c> text.</summary>
public sealed class OllamaApiException : Exception
{
    public OllamaApiException(HttpStatusCode statusCode, string errorMessage, bool midStream = false)
        : base(errorMessage)
    {
        StatusCode = statusCode;
        ErrorMessage = errorMessage;
        MidStream = midStream;
    }

    /// <summary>The HTTP status; for an error line inside a stream, the stream's own status (usually 200).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The server's error text (the body when it was not <c>{"error": ...}</c>).</summary>
    public string ErrorMessage { get; }

    /// <summary>True when the error arrived as an <c>{"error": ...}</c> line after streaming had begun.</summary>
    public bool MidStream { get; }
}
