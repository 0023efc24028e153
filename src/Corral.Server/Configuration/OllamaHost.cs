using System.Globalization;

namespace Corral.Server.Configuration;

/// <summary>
/// The address the server binds to, parsed the way Ollama parses <c>OLLAMA_HOST</c>:
/// <c>host</c>, <c>host:port</c>, <c>:port</c>, <c>scheme://host:port/path</c>, IPv6 in brackets.
/// Defaults are scheme http, host 127.0.0.1, port 11434 (80/443 when only a scheme is given).
/// </summary>
public sealed record OllamaHost(string Scheme, string Host, int Port)
{
    public const int DefaultPort = 11434;

    public static OllamaHost Default { get; } = new("http", "127.0.0.1", DefaultPort);

    /// <summary>The URL Kestrel listens on.</summary>
    public Uri ToUri() => new($"{Scheme}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");

    public bool IsLoopback => Host is "127.0.0.1" or "localhost" or "::1" || Host.StartsWith("127.", StringComparison.Ordinal);

    public static OllamaHost Parse(string? value)
    {
        var text = (value ?? string.Empty).Trim().Trim('"', '\'');
        if (text.Length == 0)
        {
            return Default;
        }

        var scheme = "http";
        var defaultPort = DefaultPort;
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            scheme = text[..schemeEnd].ToLowerInvariant();
            text = text[(schemeEnd + 3)..];
            if (scheme == "https")
            {
                defaultPort = 443;
            }
            else if (scheme == "http")
            {
                defaultPort = 80;
            }
            else
            {
                throw new FormatException($"OLLAMA_HOST: unsupported scheme '{scheme}'");
            }
        }

        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text[..slash];
        }

        string host;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                throw new FormatException("OLLAMA_HOST: unterminated IPv6 address");
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.StartsWith(':'))
            {
                portText = rest[1..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':') == colon)
            {
                host = text[..colon];
                portText = text[(colon + 1)..];
            }
            else
            {
                host = text;
            }
        }

        if (host.Length == 0)
        {
            host = Default.Host;
        }

        var port = defaultPort;
        if (!string.IsNullOrEmpty(portText))
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 0 or > 65535)
            {
                throw new FormatException($"OLLAMA_HOST: invalid port '{portText}'");
            }
        }

        return new OllamaHost(scheme, host, port);
    }
}
