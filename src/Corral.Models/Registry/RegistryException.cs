using System.Net;

namespace Corral.Models.Registry;

/// <summary>A registry refused, failed, or answered with something Corral will not accept.</summary>
public sealed class RegistryException : Exception
{
    public RegistryException(string message, HttpStatusCode? statusCode = null, Exception? inner = null)
        : base(message, inner) => StatusCode = statusCode;

    /// <summary>The registry's status code, when the failure was an HTTP answer.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Ollama's wording for a 404 (Go's os.ErrNotExist), which clients match on.</summary>
    public const string NotFoundMessage = "file does not exist";

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public static RegistryException NotFound() => new(NotFoundMessage, HttpStatusCode.NotFound);
}
