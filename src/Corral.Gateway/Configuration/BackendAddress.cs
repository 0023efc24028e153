namespace Corral.Gateway.Configuration;

/// <summary>One corral server behind the gateway: a short name (for drain, metrics and <c>X-Corral-Backend</c>) and its base URL.</summary>
public sealed record BackendAddress(string Name, Uri BaseAddress)
{
    /// <summary>
    /// Parses <c>name=url</c> or a bare <c>url</c> (named after its host and port), as CORRAL_GATEWAY_BACKENDS lists them.
    /// A URL without a scheme gets http://, and one without a port gets Ollama's 11434.
    /// </summary>
    public static BackendAddress Parse(string text)
    {
        var value = text.Trim();
        string? name = null;
        var equals = value.IndexOf('=');
        if (equals > 0 && !value[..equals].Contains("://", StringComparison.Ordinal))
        {
            name = value[..equals].Trim();
            value = value[(equals + 1)..].Trim();
        }

        return Create(name, value);
    }

    public static BackendAddress Create(string? name, string url)
    {
        var text = url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new FormatException($"backend '{url}' is not an http(s) URL");
        }

        if (!url.Contains("://", StringComparison.Ordinal) && uri.IsDefaultPort)
        {
            uri = new UriBuilder(uri) { Port = 11434 }.Uri;
        }

        var baseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
        name = string.IsNullOrWhiteSpace(name) ? $"{baseAddress.Host}:{baseAddress.Port}" : name.Trim();
        if (name.Any(c => char.IsWhiteSpace(c) || c is '/' or '"' or '\\' or ','))
        {
            throw new FormatException($"backend name '{name}' may not contain spaces, quotes, slashes or commas");
        }

        return new BackendAddress(name, baseAddress);
    }
}
