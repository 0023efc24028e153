using System.Globalization;
using Corral.Server.Configuration;

namespace Corral.Gateway.Configuration;

/// <summary>
/// What <c>corral gateway</c> runs with, read once at start-up from the environment and, when CORRAL_GATEWAY_CONFIG names
/// one, a JSON file (<see cref="GatewayConfigFile"/>). Backends from both are used; the environment wins for the rest.
/// </summary>
public sealed record GatewaySettings
{
    /// <summary>CORRAL_GATEWAY_HOST, else the file's <c>listen</c>, else OLLAMA_HOST: where the gateway listens.</summary>
    public OllamaHost Host { get; init; } = OllamaHost.Default;

    public IReadOnlyList<BackendAddress> Backends { get; init; } = [];

    /// <summary>CORRAL_API_KEYS_FILE: the same key file format as <c>corral serve</c>, checked at the gateway.</summary>
    public string? ApiKeysFile { get; init; }

    /// <summary>
    /// CORRAL_GATEWAY_BACKEND_KEY: the key the gateway presents to backends that check keys themselves (instead of the
    /// client's, which is forwarded when this is unset).
    /// </summary>
    public string? BackendKey { get; init; }

    /// <summary>CORRAL_GATEWAY_REFRESH_MS: how often each backend's /api/ps, /api/tags and /metrics are read (default 1 s).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// CORRAL_GATEWAY_IDLE_TIMEOUT: how long a forwarded request may go without a byte from its backend (a model load, a
    /// long non-streamed answer); default 10 minutes (YARP's own default of 100 s is too short for a cold load).
    /// </summary>
    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>OLLAMA_ORIGINS: extra CORS origins, as for <c>corral serve</c>.</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>CORRAL_MAX_BODY_BYTES: the largest request body the gateway buffers (it reads the model name from it).</summary>
    public long MaxRequestBodyBytes { get; init; } = 256L * 1024 * 1024;

    public bool Debug { get; init; }

    public static GatewaySettings FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    public static GatewaySettings FromVariables(Func<string, string?> get)
    {
        var file = NonEmpty(get("CORRAL_GATEWAY_CONFIG")) is { } path ? GatewayConfigFile.Load(path) : null;
        var backends = new List<BackendAddress>();
        foreach (var entry in file?.Backends ?? [])
        {
            backends.Add(BackendAddress.Create(entry.Name, entry.Url));
        }

        foreach (var item in (get("CORRAL_GATEWAY_BACKENDS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            backends.Add(BackendAddress.Parse(item));
        }

        var duplicate = backends.GroupBy(b => b.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"backend name '{duplicate.Key}' is used twice");
        }

        var host = NonEmpty(get("CORRAL_GATEWAY_HOST")) ?? NonEmpty(file?.Listen) ?? get("OLLAMA_HOST");
        var refreshMs = Int(get, "CORRAL_GATEWAY_REFRESH_MS") ?? file?.RefreshIntervalMs ?? 1000;
        var settings = new GatewaySettings
        {
            Host = OllamaHost.Parse(host),
            Backends = backends,
            ApiKeysFile = NonEmpty(get("CORRAL_API_KEYS_FILE")) ?? NonEmpty(file?.ApiKeysFile),
            BackendKey = NonEmpty(get("CORRAL_GATEWAY_BACKEND_KEY")),
            RefreshInterval = TimeSpan.FromMilliseconds(Math.Max(50, refreshMs)),
            Origins = (get("OLLAMA_ORIGINS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            MaxRequestBodyBytes = Int(get, "CORRAL_MAX_BODY_BYTES") is > 0 and var max ? max : 256L * 1024 * 1024,
            Debug = NonEmpty(get("OLLAMA_DEBUG")) is { } d && d.ToLowerInvariant() is "1" or "true" or "2",
        };
        if (NonEmpty(get("CORRAL_GATEWAY_IDLE_TIMEOUT")) is { } idle)
        {
            settings = settings with { ActivityTimeout = Durations.Parse(idle) is var t && t > TimeSpan.Zero ? t : TimeSpan.FromDays(1) };
        }

        return settings;
    }

    /// <summary>The parts of <c>serve</c>'s settings that its reused middleware (Host and Origin checks) reads.</summary>
    public ServerSettings ForHttpHygiene() => new() { Host = Host, Origins = Origins };

    private static string? NonEmpty(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    private static int? Int(Func<string, string?> get, string name)
    {
        var v = NonEmpty(get(name));
        if (v is null)
        {
            return null;
        }

        return int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"{name}: '{v}' is not a number");
    }
}
