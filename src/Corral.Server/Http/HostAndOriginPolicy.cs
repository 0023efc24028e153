using System.Net;
using System.Net.Sockets;
using Corral.Server.Configuration;

namespace Corral.Server.Http;

/// <summary>
/// Ollama's browser-facing protections: which Origins may make CORS requests (its defaults plus
/// OLLAMA_ORIGINS, with <c>*</c> wildcards), and, when bound to loopback, which Host headers are
/// accepted (DNS-rebinding protection: loopback/private IPs, localhost, *.localhost, *.local,
/// *.internal and this machine's hostname).
/// </summary>
public sealed class HostAndOriginPolicy
{
    private static readonly string[] DefaultOriginHosts = ["localhost", "127.0.0.1", "0.0.0.0"];
    private static readonly string[] DefaultOriginSchemes = ["app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*"];
    private static readonly string[] LocalSuffixes = [".localhost", ".local", ".internal"];

    private readonly string[] _origins;
    private readonly bool _checkHost;
    private readonly string _hostname;

    public HostAndOriginPolicy(ServerSettings settings)
    {
        var origins = new List<string>(settings.Origins);
        foreach (var host in DefaultOriginHosts)
        {
            origins.Add($"http://{host}");
            origins.Add($"https://{host}");
            origins.Add($"http://{host}:*");
            origins.Add($"https://{host}:*");
        }

        origins.AddRange(DefaultOriginSchemes);
        _origins = origins.ToArray();
        _checkHost = settings.Host.IsLoopback;
        _hostname = Dns.GetHostName().ToLowerInvariant();
    }

    public bool IsOriginAllowed(string origin)
    {
        foreach (var pattern in _origins)
        {
            if (Matches(pattern, origin))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsHostAllowed(string? hostHeader)
    {
        if (!_checkHost || string.IsNullOrEmpty(hostHeader))
        {
            return true;
        }

        var host = StripPort(hostHeader).ToLowerInvariant();
        if (IPAddress.TryParse(host, out var ip))
        {
            return IPAddress.IsLoopback(ip) || IsPrivate(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any);
        }

        if (host is "localhost" || host == _hostname)
        {
            return true;
        }

        foreach (var suffix in LocalSuffixes)
        {
            if (host.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            return close > 0 ? host[1..close] : host;
        }

        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(':') == colon ? host[..colon] : host;
    }

    private static bool IsPrivate(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168);
        }

        // IPv6 unique local addresses fc00::/7.
        return ip.AddressFamily == AddressFamily.InterNetworkV6 && (ip.GetAddressBytes()[0] & 0xFE) == 0xFC;
    }

    /// <summary>Glob match where <c>*</c> matches any run of characters.</summary>
    internal static bool Matches(string pattern, string value)
    {
        var p = 0;
        var v = 0;
        var star = -1;
        var mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == value[v] || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(value[v])))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
