using System.Globalization;
using System.Net;

namespace Corral.Api.Client;

/// <summary>
/// Turns an <c>OLLAMA_HOST</c> value into the base URL a client connects to, as Ollama's <c>envconfig.Host</c>:
/// "host", "host:port", ":port", "scheme://host[:port][/path]", "[::1]:port". Defaults: http, 127.0.0.1, 11434
/// (80/443 when a scheme is given without a port). A wildcard bind address (0.0.0.0, ::) is dialled as loopback.
/// </summary>
public static class OllamaEndpoint
{
    public const int DefaultPort = 11434;

    public static Uri DefaultBaseAddress { get; } = new("http://127.0.0.1:11434/");

    /// <summary>From the <c>OLLAMA_HOST</c> environment variable.</summary>
    public static Uri FromEnvironment() => Resolve(Environment.GetEnvironmentVariable("OLLAMA_HOST"));

    public static Uri Resolve(string? ollamaHost)
    {
        var text = (ollamaHost ?? string.Empty).Trim().Trim('"', '\'');
        var scheme = "http";
        var defaultPort = DefaultPort;
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            scheme = text[..schemeEnd].ToLowerInvariant();
            text = text[(schemeEnd + 3)..];
            defaultPort = scheme switch
            {
                "http" => 80,
                "https" => 443,
                _ => DefaultPort,
            };
        }

        var path = string.Empty;
        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            path = text[(slash + 1)..];
            text = text[..slash];
        }

        var host = "127.0.0.1";
        var port = defaultPort;
        if (TrySplitHostPort(text, out var splitHost, out var splitPort))
        {
            host = splitHost.Length == 0 ? host : splitHost;
            if (int.TryParse(splitPort, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= 65535)
            {
                port = parsed;
            }
        }
        else if (text.Length > 0)
        {
            host = text.Trim('[', ']');
        }

        if (IPAddress.TryParse(host, out var address))
        {
            if (address.Equals(IPAddress.Any))
            {
                host = "127.0.0.1";
            }
            else if (address.Equals(IPAddress.IPv6Any))
            {
                host = "::1";
            }
        }

        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        var basePath = path.Length == 0 ? "/" : "/" + path.TrimEnd('/') + "/";
        return new Uri($"{scheme}://{hostPart}:{port}{basePath}");
    }

    // Go's net.SplitHostPort: needs a port separator; bracketed IPv6 may carry one.
    private static bool TrySplitHostPort(string text, out string host, out string port)
    {
        host = port = string.Empty;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0 || text.IndexOf(':') != colon)
        {
            return false;
        }

        host = text[..colon];
        port = text[(colon + 1)..];
        return true;
    }
}
